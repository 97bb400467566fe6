import Foundation

/// Just enough JSON handling for the dev tool's line formats, keeping the
/// input's own bytes: member values are sliced out of the line (so key order,
/// number spelling and escapes survive) and made compact by dropping
/// whitespace outside strings. Input is validated with JSONSerialization first.
enum RawJSON {
    /// The members of a JSON object, as raw value bytes (last duplicate wins).
    static func objectMembers(_ bytes: [UInt8]) throws -> [String: [UInt8]] {
        Dictionary(try orderedMembers(bytes), uniquingKeysWith: { _, last in last })
    }

    /// The members of a JSON object in input order, as raw value bytes.
    static func orderedMembers(_ bytes: [UInt8]) throws -> [(name: String, value: [UInt8])] {
        guard (try? JSONSerialization.jsonObject(with: Data(bytes), options: [])) is [String: Any] else {
            throw DevToolError("not a JSON object")
        }
        var index = 0
        skipWhitespace(bytes, &index)
        guard index < bytes.count, bytes[index] == UInt8(ascii: "{") else { throw DevToolError("not a JSON object") }
        index += 1
        var members: [(name: String, value: [UInt8])] = []
        while true {
            skipWhitespace(bytes, &index)
            guard index < bytes.count else { throw DevToolError("unterminated object") }
            if bytes[index] == UInt8(ascii: "}") { break }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            let keyStart = index
            try skipValue(bytes, &index)
            guard let key = decodeString(Array(bytes[keyStart..<index])) else { throw DevToolError("bad member name") }
            skipWhitespace(bytes, &index)
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw DevToolError("expected ':'") }
            index += 1
            skipWhitespace(bytes, &index)
            let valueStart = index
            try skipValue(bytes, &index)
            members.append((key, Array(bytes[valueStart..<index])))
        }
        return members
    }

    /// The value without insignificant whitespace.
    static func compact(_ raw: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var inString = false
        var escaped = false
        for byte in raw {
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
                out.append(byte)
            } else if !isWhitespace(byte) {
                if byte == UInt8(ascii: "\"") { inString = true }
                out.append(byte)
            }
        }
        return out
    }

    static func isNull(_ raw: [UInt8]) -> Bool { raw == Array("null".utf8) }

    /// A JSON string token's value, or nil if `raw` is not a string.
    static func decodeString(_ raw: [UInt8]) -> String? {
        guard raw.first == UInt8(ascii: "\"") else { return nil }
        return (try? JSONSerialization.jsonObject(with: Data(raw), options: [.fragmentsAllowed])) as? String
    }

    /// A JSON integer token's value, or nil.
    static func decodeInt(_ raw: [UInt8]) -> Int? {
        Int(String(decoding: raw, as: UTF8.self))
    }

    /// `"..."` with JSON escapes, for output.
    static func quote(_ string: String) -> String {
        var out = "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                out += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count) + String(scalar.value, radix: 16)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    private static func skipWhitespace(_ bytes: [UInt8], _ index: inout Int) {
        while index < bytes.count, isWhitespace(bytes[index]) { index += 1 }
    }

    /// Moves past one JSON value (already known to be valid).
    private static func skipValue(_ bytes: [UInt8], _ index: inout Int) throws {
        guard index < bytes.count else { throw DevToolError("missing value") }
        switch bytes[index] {
        case UInt8(ascii: "\""):
            index += 1
            while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
                index += bytes[index] == UInt8(ascii: "\\") ? 2 : 1
            }
            index += 1
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            var depth = 0
            repeat {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") {
                    try skipValue(bytes, &index)
                    continue
                }
                if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") { depth += 1 }
                if byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") { depth -= 1 }
                index += 1
            } while depth > 0 && index < bytes.count
        default:
            while index < bytes.count, !isWhitespace(bytes[index]),
                ![UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]")].contains(bytes[index])
            {
                index += 1
            }
        }
        if index > bytes.count { throw DevToolError("unterminated value") }
    }
}
