import Testing

@testable import TributaryCore

@Suite("JSON round trips")
struct JSONRoundTripTests {
    static let corpus: [String] = [
        "null", "true", "false", "0", "-0", "1200.00", "-0.5e-10", "123456789012345678901234567890",
        #""""#, #""\u0000\u001f\"\\\/\b\f\n\r\t""#, #""\ud83d\ude00 😀 é""#,
        "[]", "{}", "[[],[[]],{}]", #"{"a":{"b":{"c":[1,2,{"d":null}]}}}"#,
        #"{"dup":1,"dup":2}"#, #"[1E400,-1e-400,1.0e+0]"#,
        #"{"schema":{"type":"struct","fields":[{"type":"int32","optional":false,"field":"id"}]},"payload":{"id":1,"price":"AdTA"}}"#,
    ]

    @Test("parse → write → parse gives the same value", arguments: corpus)
    func corpusRoundTrip(text: String) throws {
        let value = try JSONParser.parse(text)
        let written = JSONWriter.encode(value)
        #expect(try JSONParser.parse(written) == value)
        // Writing is canonical: a second round writes the same bytes.
        #expect(JSONWriter.encode(try JSONParser.parse(written)) == written)
    }

    @Test("compact input is written back byte for byte")
    func compactIsIdentity() throws {
        let text = #"{"a":[1,-2.50,3e7,"x\ny",null,true,false,{}],"b":"é😀","c\"":{"d":[]}}"#
        #expect(String(decoding: JSONWriter.encode(try JSONParser.parse(text)), as: UTF8.self) == text)
    }

    @Test("random trees survive write → parse (seeded, 3000 trees)")
    func randomTrees() throws {
        var random = RandomJSON(seed: 0x7121_B07A)
        for _ in 0..<3000 {
            let value = random.value()
            let written = JSONWriter.encode(value)
            let parsed = try JSONParser.parse(written)
            #expect(parsed == value, "\(String(decoding: written, as: UTF8.self))")
            if parsed != value { return }
        }
    }

    @Test("mutated documents never crash: each either fails or round-trips")
    func mutations() throws {
        var random = RandomJSON(seed: 42)
        var generator = SeededGenerator(seed: 7)
        let interesting: [UInt8] = [
            0x00, 0x0A, 0x20, 0x22, 0x2C, 0x2D, 0x2E, 0x30, 0x31, 0x3A, 0x45, 0x5B, 0x5C, 0x5D, 0x65, 0x75,
            0x7B, 0x7D, 0x80, 0xBF, 0xC3, 0xE2, 0xED, 0xF0, 0xF4, 0xFF,
        ]
        for _ in 0..<2000 {
            var bytes = JSONWriter.encode(random.value())
            for _ in 0..<Int.random(in: 1...3, using: &generator) where !bytes.isEmpty {
                let position = Int.random(in: 0..<bytes.count, using: &generator)
                switch Int.random(in: 0..<3, using: &generator) {
                case 0: bytes[position] = interesting.randomElement(using: &generator) ?? 0
                case 1: bytes.remove(at: position)
                default: bytes.insert(interesting.randomElement(using: &generator) ?? 0, at: position)
                }
            }
            do {
                let value = try JSONParser.parse(bytes)
                #expect(try JSONParser.parse(JSONWriter.encode(value)) == value)
            } catch {
                #expect(error.byteOffset >= 0 && error.byteOffset <= bytes.count)
            }
        }
    }

    @Test("every prefix of a document fails cleanly or is itself a document")
    func prefixes() throws {
        let text = Array(#"{"a":[1,-2.5e3,"x\u00e9\ud83d\ude00",true,null],"é":{}}"#.utf8)
        for length in 0..<text.count {
            #expect(throws: JSONParseError.self) { try JSONParser.parse(Array(text[..<length])) }
        }
        #expect(throws: Never.self) { try JSONParser.parse(text) }
    }

    @Test("deep but permitted nesting round-trips")
    func deepRoundTrip() throws {
        let depth = 1000
        let text = String(repeating: "[{\"a\":", count: depth) + "1" + String(repeating: "}]", count: depth)
        let value = try JSONParser.parse(text, limits: JSONLimits(maxDepth: 2 * depth))
        #expect(String(decoding: JSONWriter.encode(value), as: UTF8.self) == text)
    }
}
