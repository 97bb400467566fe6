import Testing

@testable import TributaryCore

@Suite("JSONParser: valid documents")
struct JSONParserTests {
    @Test("scalars at the top level")
    func scalars() throws {
        #expect(try JSONParser.parse("null") == .null)
        #expect(try JSONParser.parse("true") == .bool(true))
        #expect(try JSONParser.parse("false") == .bool(false))
        #expect(try JSONParser.parse("0") == .number(JSONNumber(unchecked: "0")))
        #expect(try JSONParser.parse("\"\"") == .string(""))
        #expect(try JSONParser.parse("\"abc\"") == .string("abc"))
    }

    @Test("surrounding whitespace of all four kinds is allowed")
    func whitespace() throws {
        #expect(try JSONParser.parse(" \t\r\n[ 1 , { \"a\" : null } ]\n\t ") == .array([
            .number(JSONNumber(1)), .object(["a": .null]),
        ]))
    }

    @Test("empty and nested containers")
    func containers() throws {
        #expect(try JSONParser.parse("[]") == .array([]))
        #expect(try JSONParser.parse("{}") == .object(JSONObject()))
        #expect(try JSONParser.parse("[[],{},[[]],{\"a\":{}}]") == .array([
            .array([]), .object(JSONObject()), .array([.array([])]), .object(["a": .object(JSONObject())]),
        ]))
        let value = try JSONParser.parse(#"{"a":[1,{"b":[true,false,null]}],"c":"d"}"#)
        #expect(value["a"]?.arrayValue?.count == 2)
        #expect(value["a"]?.arrayValue?[1]["b"] == .array([.bool(true), .bool(false), .null]))
        #expect(value["c"] == .string("d"))
    }

    @Test("object members keep document order, duplicates included")
    func memberOrder() throws {
        let object = try #require(try JSONParser.parse(#"{"z":1,"a":2,"m":3,"a":4}"#).objectValue)
        #expect(object.keys == ["z", "a", "m", "a"])
        #expect(object["a"] == .number(JSONNumber(4)))
    }

    @Test(
        "number literals keep their exact text",
        arguments: [
            "0", "-0", "1", "-1", "1200.00", "-0.5e-10", "123456789012345678901234567890",
            "1E400", "1e+2", "0.000001", "-12.50e3", "9007199254740993", "18446744073709551616",
        ])
    func numberText(literal: String) throws {
        #expect(try JSONParser.parse(literal) == .number(JSONNumber(unchecked: literal)))
        #expect(try JSONParser.parse("[\(literal)]") == .array([.number(JSONNumber(unchecked: literal))]))
        #expect(try JSONParser.parse("{\"n\":\(literal)}")["n"]?.numberValue?.text == literal)
    }

    @Test("simple escapes decode")
    func simpleEscapes() throws {
        #expect(try JSONParser.parse(#""\"\\\/\b\f\n\r\t""#) == .string("\"\\/\u{08}\u{0C}\n\r\t"))
        #expect(try JSONParser.parse(#""a\nb""#) == .string("a\nb"))
        #expect(try JSONParser.parse(#""tail\\""#) == .string("tail\\"))
    }

    @Test("unicode escapes decode, surrogate pairs included")
    func unicodeEscapes() throws {
        #expect(try JSONParser.parse(#""\u0041\u00e9\u20AC""#) == .string("Aé€"))
        #expect(try JSONParser.parse(#""\ud83d\ude00""#) == .string("😀"))
        #expect(try JSONParser.parse(#""x\uD83D\uDE00y""#) == .string("x😀y"))
        #expect(try JSONParser.parse(#""\u0000""#) == .string("\u{0}"))
        #expect(try JSONParser.parse(#""\uffff""#) == .string("\u{FFFF}"))
        #expect(try JSONParser.parse(#""\udbff\udfff""#) == .string("\u{10FFFF}"))
    }

    @Test("non-ASCII UTF-8 passes through, before and after escapes")
    func rawUTF8() throws {
        #expect(try JSONParser.parse("\"héllo wörld 😀 日本語\"") == .string("héllo wörld 😀 日本語"))
        #expect(try JSONParser.parse("\"é\\né\"") == .string("é\né"))
        #expect(try JSONParser.parse("{\"ключ\":\"значение\"}")["ключ"] == .string("значение"))
    }

    @Test("long strings cross the eight-byte scanning boundary correctly")
    func longStrings() throws {
        for length in 0..<40 {
            let text = String(repeating: "a", count: length)
            #expect(try JSONParser.parse("\"\(text)\"") == .string(text))
            #expect(try JSONParser.parse("\"\(text)\\n\(text)\"") == .string(text + "\n" + text))
            #expect(try JSONParser.parse("\"\(text)é\"") == .string(text + "é"))
        }
    }

    @Test("the three entry points agree")
    func entryPoints() throws {
        let text = #"{"a":[1,"é",null]}"#
        let bytes = Array(text.utf8)
        let fromString = try JSONParser.parse(text)
        let fromArray = try JSONParser.parse(bytes)
        let fromPointer = try bytes.withUnsafeBytes { raw in try JSONParser.parse(raw) }
        #expect(fromString == fromArray)
        #expect(fromArray == fromPointer)
    }

    @Test("nesting up to maxDepth is accepted")
    func depthAtLimit() throws {
        let deep = String(repeating: "[", count: 256) + String(repeating: "]", count: 256)
        var value = try JSONParser.parse(deep)
        var depth = 0
        while case .array(let elements) = value {
            depth += 1
            guard let first = elements.first else { break }
            value = first
        }
        #expect(depth == 256)
        let objects = String(repeating: "{\"a\":", count: 10) + "1" + String(repeating: "}", count: 10)
        #expect(throws: Never.self) { try JSONParser.parse(objects, limits: JSONLimits(maxDepth: 10)) }
        #expect(try JSONParser.parse("1", limits: JSONLimits(maxDepth: 0)) == .number(JSONNumber(1)))
    }

    @Test("limits at their exact bounds are accepted")
    func limitsAtBounds() throws {
        #expect(try JSONParser.parse("\"abc\"", limits: JSONLimits(maxStringBytes: 3)) == .string("abc"))
        #expect(try JSONParser.parse("123", limits: JSONLimits(maxInputBytes: 3)) == .number(JSONNumber(123)))
    }
}
