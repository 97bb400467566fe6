/// Converts WKB geometries (Debezium `io.debezium.data.geometry.*` `wkb`) to
/// GeoJSON, which OpenSearch's `geo_shape` (and, for points, `geo_point`) accepts.
///
/// Reads OGC/ISO WKB and PostGIS EWKB, little and big endian, per nested
/// geometry: Point, LineString, Polygon, MultiPoint, MultiLineString,
/// MultiPolygon, GeometryCollection. Z values become a third coordinate;
/// M values are dropped; an EWKB SRID is skipped (Debezium sends it as `srid`).
/// Coordinates are IEEE doubles in WKB; each is written as the shortest
/// decimal that reads back to the same double, so no precision is lost.
/// An empty point (NaN coordinates) at the top level gives JSON `null`.
public enum WKBGeoJSON {
    /// Why a WKB value could not be read.
    public struct Malformed: Error, Sendable, Hashable, CustomStringConvertible {
        public var description: String
    }

    /// GeoJSON limits nesting; bounds recursion on hostile input.
    static let maxDepth = 32

    public static func geoJSON(wkb bytes: [UInt8]) throws(Malformed) -> JSONValue {
        var reader = Reader(bytes: bytes)
        let value = try reader.geometry(depth: 0)
        guard reader.offset == bytes.count else {
            throw Malformed(description: "\(bytes.count - reader.offset) bytes after the geometry")
        }
        return value ?? .null
    }

    struct Reader {
        let bytes: [UInt8]
        var offset = 0
        var littleEndian = true

        init(bytes: [UInt8]) { self.bytes = bytes }

        mutating func byte() throws(Malformed) -> UInt8 {
            guard offset < bytes.count else { throw Malformed(description: "truncated at byte \(offset)") }
            defer { offset += 1 }
            return bytes[offset]
        }

        mutating func uint32() throws(Malformed) -> UInt32 {
            guard offset + 4 <= bytes.count else { throw Malformed(description: "truncated at byte \(offset)") }
            var value: UInt32 = 0
            for index in 0..<4 {
                let byte = UInt32(bytes[offset + (littleEndian ? 3 - index : index)])
                value = (value << 8) | byte
            }
            offset += 4
            return value
        }

        mutating func double() throws(Malformed) -> Double {
            guard offset + 8 <= bytes.count else { throw Malformed(description: "truncated at byte \(offset)") }
            var bits: UInt64 = 0
            for index in 0..<8 {
                let byte = UInt64(bytes[offset + (littleEndian ? 7 - index : index)])
                bits = (bits << 8) | byte
            }
            offset += 8
            return Double(bitPattern: bits)
        }

        /// A count that must fit in the remaining bytes (each item needs at least `minimumSize`).
        mutating func count(minimumSize: Int) throws(Malformed) -> Int {
            let count = Int(try uint32())
            guard count <= (bytes.count - offset) / max(minimumSize, 1) else {
                throw Malformed(description: "count \(count) exceeds the remaining bytes")
            }
            return count
        }

        /// One geometry; `nil` for an empty point.
        mutating func geometry(depth: Int) throws(Malformed) -> JSONValue? {
            guard depth < WKBGeoJSON.maxDepth else { throw Malformed(description: "nested too deeply") }
            switch try byte() {
            case 0: littleEndian = false
            case 1: littleEndian = true
            case let other: throw Malformed(description: "bad byte-order mark \(other)")
            }
            let code = try uint32()
            var hasZ = code & 0x8000_0000 != 0
            var hasM = code & 0x4000_0000 != 0
            if code & 0x2000_0000 != 0 { _ = try uint32() }  // EWKB SRID
            var type = code & 0x0FFF_FFFF
            switch type / 1000 {  // ISO WKB dimension thousands
            case 1: hasZ = true
            case 2: hasM = true
            case 3: hasZ = true; hasM = true
            default: break
            }
            type %= 1000
            let dimensions = 2 + (hasZ ? 1 : 0) + (hasM ? 1 : 0)
            switch type {
            case 1:
                let point = try position(dimensions: dimensions, hasZ: hasZ)
                guard let point else { return nil }
                return object("Point", coordinates: point)
            case 2:
                return object("LineString", coordinates: .array(try positions(dimensions: dimensions, hasZ: hasZ)))
            case 3:
                return object("Polygon", coordinates: .array(try rings(dimensions: dimensions, hasZ: hasZ)))
            case 4, 5, 6:
                let count = try count(minimumSize: 9)
                var parts: [JSONValue] = []
                for _ in 0..<count {
                    guard let part = try geometry(depth: depth + 1) else { continue }
                    parts.append(part["coordinates"] ?? .null)
                }
                let name = type == 4 ? "MultiPoint" : type == 5 ? "MultiLineString" : "MultiPolygon"
                return object(name, coordinates: .array(parts))
            case 7:
                let count = try count(minimumSize: 9)
                var parts: [JSONValue] = []
                for _ in 0..<count {
                    if let part = try geometry(depth: depth + 1) { parts.append(part) }
                }
                return .object(["type": .string("GeometryCollection"), "geometries": .array(parts)])
            default:
                throw Malformed(description: "unsupported geometry type \(type)")
            }
        }

        mutating func position(dimensions: Int, hasZ: Bool) throws(Malformed) -> JSONValue? {
            var values: [Double] = []
            for _ in 0..<dimensions { values.append(try double()) }
            if values[0].isNaN && values[1].isNaN { return nil }  // POINT EMPTY
            var coordinates: [JSONValue] = []
            for value in values.prefix(hasZ ? 3 : 2) {
                coordinates.append(.number(try number(value)))
            }
            return .array(coordinates)
        }

        mutating func positions(dimensions: Int, hasZ: Bool) throws(Malformed) -> [JSONValue] {
            let count = try count(minimumSize: 8 * dimensions)
            var points: [JSONValue] = []
            points.reserveCapacity(count)
            for _ in 0..<count {
                if let point = try position(dimensions: dimensions, hasZ: hasZ) { points.append(point) }
            }
            return points
        }

        mutating func rings(dimensions: Int, hasZ: Bool) throws(Malformed) -> [JSONValue] {
            let count = try count(minimumSize: 4)
            var rings: [JSONValue] = []
            for _ in 0..<count { rings.append(.array(try positions(dimensions: dimensions, hasZ: hasZ))) }
            return rings
        }

        func object(_ type: String, coordinates: JSONValue) -> JSONValue {
            .object(["type": .string(type), "coordinates": coordinates])
        }

        func number(_ value: Double) throws(Malformed) -> JSONNumber {
            guard value.isFinite else { throw Malformed(description: "non-finite coordinate \(value)") }
            // Swift prints the shortest round-tripping decimal ("1.0", "1e-05"), a valid JSON number.
            return JSONNumber(unchecked: value.description)
        }
    }
}
