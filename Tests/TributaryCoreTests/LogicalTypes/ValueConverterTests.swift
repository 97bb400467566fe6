import Testing
@testable import TributaryCore

@Suite("Logical-type converters, schema plans and field.types hints")
struct ValueConverterTests {
    let options = LogicalTypeOptions()

    /// Parsed test JSON (`.null` for a typo, which then fails the comparison).
    func json(_ text: String) -> JSONValue { (try? JSONParser.parse(text)) ?? .null }

    @Test("Json, EnumSet, Bits and pass-through types")
    func simpleTypes() throws {
        #expect(try ValueConverter.json.apply(.string(#"{"k1": "v1", "k2": 11}"#), options: options, field: "f") == json(#"{"k1":"v1","k2":11}"#))
        #expect(try ValueConverter.json.apply(.string("{not json"), options: options, field: "f") == .string("{not json"))
        #expect(try ValueConverter.enumSet.apply(.string("a,b"), options: options, field: "f") == .array([.string("a"), .string("b")]))
        #expect(try ValueConverter.enumSet.apply(.string(""), options: options, field: "f") == .array([]))
        // Bits: little-endian bytes. 0x05 0x01 → 0x0105 = 261.
        #expect(try ValueConverter.bits(length: 10).apply(.string(Base64.encode([0x05, 0x01])), options: options, field: "f") == .number(JSONNumber(261)))
        let wide = Base64.encode([UInt8](repeating: 0xFF, count: 9))
        #expect(try ValueConverter.bits(length: 72).apply(.string(wide), options: options, field: "f") == .string(wide))
        #expect(LogicalSchema.converter(for: ["type": .string("string"), "name": .string("io.debezium.data.Uuid")]) == nil)
        #expect(LogicalSchema.converter(for: ["type": .string("string"), "name": .string("io.debezium.time.ZonedTimestamp")]) == nil)
        #expect(LogicalSchema.converter(for: ["type": .string("int32"), "name": .string("io.debezium.time.Year")]) == nil)
    }

    /// WKB built by hand: byte order, type, coordinates.
    static func wkb(littleEndian: Bool, type: UInt32, srid: UInt32? = nil, _ body: [UInt8]) -> [UInt8] {
        var bytes: [UInt8] = [littleEndian ? 1 : 0]
        var code = type
        if srid != nil { code |= 0x2000_0000 }
        bytes += u32(code, littleEndian)
        if let srid { bytes += u32(srid, littleEndian) }
        return bytes + body
    }

    static func u32(_ value: UInt32, _ littleEndian: Bool) -> [UInt8] {
        let be = [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
        return littleEndian ? be.reversed() : be
    }

    static func f64(_ value: Double, _ littleEndian: Bool) -> [UInt8] {
        let bits = value.bitPattern
        let be = (0..<8).map { UInt8((bits >> UInt64(56 - 8 * $0)) & 0xFF) }
        return littleEndian ? be.reversed() : be
    }

    @Test("extreme integers are reported, never trapped on (Int64.min has no absolute value)")
    func extremes() {
        #expect(throws: DecodeError.self) {
            try ValueConverter.date.apply(.number(JSONNumber(Int64.min)), options: options, field: "d")
        }
        #expect(throws: DecodeError.self) {
            try ValueConverter.variableScaleDecimal.apply(
                .object(["scale": .number(JSONNumber(Int64.min)), "value": .string("AQ==")]), options: options, field: "v")
        }
        #expect((try? ValueConverter.timestamp(.microseconds).apply(.number(JSONNumber(Int64.min)), options: options, field: "t")) != nil)
    }

    @Test("WKB and EWKB, both byte orders, become GeoJSON")
    func geometry() throws {
        // The PostgreSQL POINT fixture: AQEAAAAAAAAAAADwPwAAAAAAAABA = POINT(1 2), little endian.
        let point = try ValueConverter.geometry.apply(
            .object(["wkb": .string("AQEAAAAAAAAAAADwPwAAAAAAAABA"), "srid": .null]), options: options, field: "g")
        #expect(point == json(#"{"type":"Point","coordinates":[1.0,2.0]}"#))
        // x/y literals are reused when present.
        let xy = try ValueConverter.geometry.apply(
            json(#"{"x":1.5,"y":-2,"wkb":"AQEAAAAAAAAAAADwPwAAAAAAAABA","srid":null}"#), options: options, field: "g")
        #expect(xy == json(#"{"type":"Point","coordinates":[1.5,-2]}"#))

        for le in [true, false] {
            let line = Self.wkb(littleEndian: le, type: 2, srid: 4326, Self.u32(2, le) + Self.f64(0, le) + Self.f64(0.5, le) + Self.f64(10, le) + Self.f64(-3.25, le))
            #expect(try WKBGeoJSON.geoJSON(wkb: line) == json(#"{"type":"LineString","coordinates":[[0.0,0.5],[10.0,-3.25]]}"#))
            let ring = Self.u32(4, le) + [(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 0.0)].flatMap { Self.f64($0.0, le) + Self.f64($0.1, le) }
            let polygon = Self.wkb(littleEndian: le, type: 3, Self.u32(1, le) + ring)
            #expect(try WKBGeoJSON.geoJSON(wkb: polygon) == json(#"{"type":"Polygon","coordinates":[[[0.0,0.0],[1.0,0.0],[1.0,1.0],[0.0,0.0]]]}"#))
            let p1 = Self.wkb(littleEndian: !le, type: 1, Self.f64(1, !le) + Self.f64(2, !le))  // mixed byte orders inside
            let multi = Self.wkb(littleEndian: le, type: 4, Self.u32(2, le) + p1 + p1)
            #expect(try WKBGeoJSON.geoJSON(wkb: multi) == json(#"{"type":"MultiPoint","coordinates":[[1.0,2.0],[1.0,2.0]]}"#))
            let multiPolygon = Self.wkb(littleEndian: le, type: 6, Self.u32(1, le) + polygon)
            #expect(try WKBGeoJSON.geoJSON(wkb: multiPolygon) == json(#"{"type":"MultiPolygon","coordinates":[[[[0.0,0.0],[1.0,0.0],[1.0,1.0],[0.0,0.0]]]]}"#))
            let collection = Self.wkb(littleEndian: le, type: 7, Self.u32(2, le) + p1 + line)
            #expect(try WKBGeoJSON.geoJSON(wkb: collection) == json(
                #"{"type":"GeometryCollection","geometries":[{"type":"Point","coordinates":[1.0,2.0]},{"type":"LineString","coordinates":[[0.0,0.5],[10.0,-3.25]]}]}"#))
            // ISO Z (1001) keeps z; EWKB Z flag likewise; M is dropped.
            let pointZ = Self.wkb(littleEndian: le, type: 1001, Self.f64(1, le) + Self.f64(2, le) + Self.f64(3, le))
            #expect(try WKBGeoJSON.geoJSON(wkb: pointZ) == json(#"{"type":"Point","coordinates":[1.0,2.0,3.0]}"#))
            let pointM = Self.wkb(littleEndian: le, type: 0x4000_0001, Self.f64(1, le) + Self.f64(2, le) + Self.f64(9, le))
            #expect(try WKBGeoJSON.geoJSON(wkb: pointM) == json(#"{"type":"Point","coordinates":[1.0,2.0]}"#))
        }
        let empty = Self.wkb(littleEndian: true, type: 1, Self.f64(.nan, true) + Self.f64(.nan, true))
        #expect(try WKBGeoJSON.geoJSON(wkb: empty) == .null)
        #expect(throws: WKBGeoJSON.Malformed.self) { try WKBGeoJSON.geoJSON(wkb: [1, 2, 0, 0, 0]) }
        #expect(throws: WKBGeoJSON.Malformed.self) { try WKBGeoJSON.geoJSON(wkb: Self.wkb(littleEndian: true, type: 2, Self.u32(1_000_000, true))) }
        #expect(throws: DecodeError.self) { try ValueConverter.geometry.apply(json(#"{"wkb":"AQE=","srid":0}"#), options: options, field: "g") }
    }

    @Test("a schema compiles to a plan with only the logical-typed fields, nested structs and arrays included")
    func planCompilation() throws {
        let schema = try #require(json(
            #"{"type":"struct","fields":[{"type":"int32","field":"id"},{"type":"string","field":"name"},"#
                + #"{"type":"bytes","name":"org.apache.kafka.connect.data.Decimal","parameters":{"scale":"2"},"field":"price"},"#
                + #"{"type":"array","items":{"type":"int32","name":"io.debezium.time.Date"},"field":"days"},"#
                + #"{"type":"struct","fields":[{"type":"int64","name":"io.debezium.time.MicroTimestamp","field":"at"}],"field":"audit"}]}"#
        ).objectValue)
        let plan = LogicalSchema.plan(forStruct: schema)
        #expect(plan.entries.map(\.name) == ["price", "days", "audit"])
        var row = try #require(json(#"{"id":1,"name":"x","price":"AdTA","days":[0,19279],"audit":{"at":0}}"#).objectValue)
        try plan.apply(to: &row, options: options)
        #expect(JSONValue.object(row) == (json(
            #"{"id":1,"name":"x","price":1200.00,"days":["1970-01-01","2022-10-14"],"audit":{"at":"1970-01-01T00:00:00.000000Z"}}"#)))
        let plain = try #require(json(#"{"type":"struct","fields":[{"type":"int32","field":"id"},{"type":"string","field":"name"}]}"#).objectValue)
        #expect(LogicalSchema.plan(forStruct: plain).isEmpty)
    }

    @Test("the plan cache compiles each distinct schema once and sees a new column at once")
    func planCache() throws {
        let cache = RowPlanCache(capacity: 4)
        let v1 = try #require(json(#"{"type":"struct","fields":[{"type":"int32","field":"id"}]}"#).objectValue)
        let v2 = try #require(json(
            #"{"type":"struct","fields":[{"type":"int32","field":"id"},{"type":"int32","name":"io.debezium.time.Date","field":"d"}]}"#).objectValue)
        #expect(cache.plan(for: v1).isEmpty)
        #expect(cache.plan(for: v1).isEmpty)
        #expect(cache.count == 1)
        #expect(cache.plan(for: v2).entries.map(\.name) == ["d"])
        #expect(cache.count == 2)
        for n in 0..<10 {
            let other = try #require(json(#"{"type":"struct","fields":[{"type":"int32","field":"c\#(n)"}]}"#).objectValue)
            _ = cache.plan(for: other)
        }
        #expect(cache.count <= 4)
    }

    @Test("field.types hints parse and apply to schemaless rows")
    func hints() throws {
        let plan = try FieldTypeHints.parse("price:decimal(2), created:micro_timestamp ,doc:json,tags:enum_set")
        #expect(plan.entries.map(\.name) == ["price", "created", "doc", "tags"])
        var row = try #require(json(#"{"price":"AdTA","created":1665791731989360,"doc":"[1,2]","tags":"a,b","other":"AdTA"}"#).objectValue)
        try plan.apply(to: &row, options: options)
        #expect(JSONValue.object(row) == (json(
            #"{"price":1200.00,"created":"2022-10-14T23:55:31.989360Z","doc":[1,2],"tags":["a","b"],"other":"AdTA"}"#)))
        #expect(throws: ConfigError.self) { try FieldTypeHints.parse("price:money") }
        #expect(throws: ConfigError.self) { try FieldTypeHints.parse("price") }
        #expect(throws: ConfigError.self) { try FieldTypeHints.parse("price:decimal(x)") }
    }
}
