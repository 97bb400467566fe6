import Testing

@testable import TributaryCore

@Suite("JSONWriter")
struct JSONWriterTests {
    private func text(_ value: JSONValue) -> String {
        String(decoding: JSONWriter.encode(value), as: UTF8.self)
    }

    @Test("scalars and containers are written compactly")
    func compact() {
        #expect(text(.null) == "null")
        #expect(text(.bool(true)) == "true")
        #expect(text(.bool(false)) == "false")
        #expect(text(.array([])) == "[]")
        #expect(text(.object(JSONObject())) == "{}")
        let value: JSONValue = .object([
            "a": .array([.number(JSONNumber(1)), .null, .bool(false)]),
            "b": .object(["c": .string("d")]),
        ])
        #expect(text(value) == #"{"a":[1,null,false],"b":{"c":"d"}}"#)
    }

    @Test("numbers are written as their literal text")
    func numbers() {
        for literal in ["1200.00", "-0.5e-10", "123456789012345678901234567890", "-0", "1E+2"] {
            #expect(text(.number(JSONNumber(unchecked: literal))) == literal)
        }
        #expect(text(.number(JSONNumber(Int64.min))) == "-9223372036854775808")
        #expect(text(.number(JSONNumber(UInt64.max))) == "18446744073709551615")
    }

    @Test("quotes, backslashes and control characters are escaped; the rest is copied")
    func escaping() {
        #expect(text(.string("say \"hi\"")) == #""say \"hi\"""#)
        #expect(text(.string("C:\\path")) == #""C:\\path""#)
        #expect(text(.string("\n\r\t\u{08}\u{0C}")) == #""\n\r\t\b\f""#)
        #expect(text(.string("\u{0}\u{1}\u{1F}")) == #""\u0000\u0001\u001f""#)
        #expect(text(.string("/ and \u{7F}")) == "\"/ and \u{7F}\"")
        #expect(text(.string("héllo 😀 日本")) == "\"héllo 😀 日本\"")
        #expect(text(.string("")) == #""""#)
        #expect(text(.object(["a\"b": .null])) == #"{"a\"b":null}"#)
    }

    @Test("every byte below 0x20 gets an escape that parses back to itself")
    func everyControlByte() throws {
        for byte in UInt8(0)..<0x20 {
            let string = String(decoding: [UInt8(ascii: "a"), byte, UInt8(ascii: "b")], as: UTF8.self)
            let encoded = JSONWriter.encode(.string(string))
            #expect(!encoded.contains { $0 < 0x20 })
            #expect(try JSONParser.parse(encoded) == .string(string))
        }
    }

    @Test("raw writes append bytes unchanged")
    func rawWrites() {
        var writer = JSONWriter(capacity: 8)
        writer.writeRaw("{\"index\":" as StaticString)
        writer.writeString("a\"b")
        writer.writeRaw(",\"n\":")
        writer.writeRaw(String(42))
        writer.writeRaw([UInt8(ascii: ",")])
        [UInt8]("\"x\":1".utf8).withUnsafeBytes { writer.writeRaw($0) }
        writer.writeRaw(true ? "}" : "]")
        writer.writeRaw("\n")
        #expect(String(decoding: writer.bytes, as: UTF8.self) == "{\"index\":\"a\\\"b\",\"n\":42,\"x\":1}\n")
    }

    @Test("integers are written as String(value) spells them")
    func integers() {
        var values: [Int64] = [0, 1, -1, 9, 10, -10, 99, 100, Int64.max, Int64.min, Int64.max - 1, Int64.min + 1]
        var power: Int64 = 1
        for _ in 0..<18 {
            power *= 10
            values += [power - 1, power, power + 1, -power]
        }
        for value in values {
            var writer = JSONWriter(capacity: 0)
            writer.writeRaw("[" as StaticString)
            writer.writeInteger(value)
            #expect(writer.bytes == Array("[\(value)".utf8), "\(value)")
        }
    }

    @Test("one-scalar static strings are written too")
    func oneScalarStaticString() {
        var writer = JSONWriter()
        writer.writeRaw("}" as StaticString)
        writer.writeRaw("é" as StaticString)
        writer.writeRaw("\n" as StaticString)
        #expect(writer.bytes == Array("}é\n".utf8))
    }

    @Test("a writer appends after existing content")
    func appends() {
        var writer = JSONWriter()
        writer.write(.number(JSONNumber(1)))
        writer.writeRaw("\n")
        writer.write(.array([.string("x")]))
        #expect(String(decoding: writer.bytes, as: UTF8.self) == "1\n[\"x\"]")
    }

    @Test("description is the compact JSON text")
    func description() {
        let value: JSONValue = .object(["k": .array([.string("v"), .number(JSONNumber(unchecked: "1.50"))])])
        #expect(value.description == #"{"k":["v",1.50]}"#)
        #expect("\(value)" == #"{"k":["v",1.50]}"#)
        let object: JSONObject = ["a": .null]
        #expect(object.description == #"{"a":null}"#)
    }
}
