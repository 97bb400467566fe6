@testable import TributaryCore

/// Random `JSONValue` trees for property tests: every kind of value, strings
/// with escapes, control characters, multi-byte and astral scalars, numbers
/// in every literal shape, duplicate keys and nesting up to `maxDepth`.
struct RandomJSON {
    var generator: SeededGenerator
    var maxDepth = 6

    init(seed: UInt64) { generator = SeededGenerator(seed: seed) }

    mutating func value(depth: Int = 0) -> JSONValue {
        let kinds = depth >= maxDepth ? 4 : 6
        switch Int.random(in: 0..<kinds, using: &generator) {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &generator))
        case 2: return .number(number())
        case 3: return .string(string())
        case 4:
            let count = Int.random(in: 0...6, using: &generator)
            return .array((0..<count).map { _ in value(depth: depth + 1) })
        default:
            var object = JSONObject()
            let keyPool = ["id", "a", "name", string(), string()]
            for _ in 0..<Int.random(in: 0...6, using: &generator) {
                object.append(key: keyPool.randomElement(using: &generator) ?? "k", value: value(depth: depth + 1))
            }
            return .object(object)
        }
    }

    /// A valid JSON number literal of random shape.
    mutating func number() -> JSONNumber {
        var text = Bool.random(using: &generator) ? "-" : ""
        if Int.random(in: 0..<4, using: &generator) == 0 {
            text += "0"
        } else {
            text += String(Int.random(in: 1...9, using: &generator))
            text += digits(upTo: Bool.random(using: &generator) ? 3 : 40)
        }
        if Bool.random(using: &generator) {
            text += "." + String(Int.random(in: 0...9, using: &generator)) + digits(upTo: 8)
        }
        if Int.random(in: 0..<3, using: &generator) == 0 {
            text += ["e", "E"].randomElement(using: &generator) ?? "e"
            text += ["", "+", "-"].randomElement(using: &generator) ?? ""
            text += String(Int.random(in: 0...9, using: &generator)) + digits(upTo: 3)
        }
        return JSONNumber(unchecked: text)
    }

    /// A random string mixing ASCII, characters that need escaping and non-ASCII scalars.
    mutating func string() -> String {
        let pieces: [String] = [
            "a", "Z", "0", " ", "_", "\"", "\\", "/", "\n", "\r", "\t", "\u{0}", "\u{1}", "\u{1F}", "\u{7F}",
            "é", "ß", "€", "日本", "\u{FFFF}", "😀", "\u{10FFFF}", "abcdefghijklmnop",
        ]
        var result = ""
        for _ in 0..<Int.random(in: 0...12, using: &generator) {
            result += pieces.randomElement(using: &generator) ?? ""
        }
        return result
    }

    private mutating func digits(upTo maximum: Int) -> String {
        String((0..<Int.random(in: 0...maximum, using: &generator)).map { _ in
            Character(Unicode.Scalar(UInt8(ascii: "0") + UInt8.random(in: 0...9, using: &generator)))
        })
    }
}
