import Testing

@testable import TributaryCore

/// One malformed input and the error it must produce.
struct BadInput: Sendable, CustomTestStringConvertible {
    var bytes: [UInt8]
    var code: JSONParseError.Code
    var offset: Int
    var limits = JSONLimits()

    init(_ text: String, _ code: JSONParseError.Code, at offset: Int, limits: JSONLimits = JSONLimits()) {
        self.init(bytes: Array(text.utf8), code, at: offset, limits: limits)
    }

    init(bytes: [UInt8], _ code: JSONParseError.Code, at offset: Int, limits: JSONLimits = JSONLimits()) {
        self.bytes = bytes
        self.code = code
        self.offset = offset
        self.limits = limits
    }

    var testDescription: String { "\(String(decoding: bytes, as: UTF8.self).debugDescription) → \(code)@\(offset)" }
}

@Suite("JSONParser: rejected input")
struct JSONParserErrorTests {
    static let cases: [BadInput] = [
        // unexpected end
        BadInput("", .unexpectedEnd, at: 0),
        BadInput("   ", .unexpectedEnd, at: 3),
        BadInput("[1,2", .unexpectedEnd, at: 4),
        BadInput("[1,", .unexpectedEnd, at: 3),
        BadInput("{\"a\"", .unexpectedEnd, at: 4),
        BadInput("{\"a\":", .unexpectedEnd, at: 5),
        BadInput("{", .unexpectedEnd, at: 1),
        BadInput("\"abc", .unexpectedEnd, at: 4),
        BadInput("\"abcdefghijklmnop", .unexpectedEnd, at: 17),
        BadInput("\"ab\\", .unexpectedEnd, at: 4),
        BadInput("\"\\u12", .unexpectedEnd, at: 5),
        BadInput("\"\\ud83d", .unexpectedEnd, at: 7),
        BadInput("\"\\ud83d\\", .unexpectedEnd, at: 8),
        BadInput("tru", .unexpectedEnd, at: 3),
        BadInput("-", .unexpectedEnd, at: 1),
        BadInput("1.", .unexpectedEnd, at: 2),
        BadInput("1e", .unexpectedEnd, at: 2),
        BadInput("1e+", .unexpectedEnd, at: 3),
        // unexpected character
        BadInput("x", .unexpectedCharacter, at: 0),
        BadInput("NaN", .unexpectedCharacter, at: 0),
        BadInput("Infinity", .unexpectedCharacter, at: 0),
        BadInput("+1", .unexpectedCharacter, at: 0),
        BadInput(".5", .unexpectedCharacter, at: 0),
        BadInput("'a'", .unexpectedCharacter, at: 0),
        BadInput("[1 2]", .unexpectedCharacter, at: 3),
        BadInput("[1,]", .unexpectedCharacter, at: 3),
        BadInput("[,1]", .unexpectedCharacter, at: 1),
        BadInput("{\"a\":1,}", .unexpectedCharacter, at: 7),
        BadInput("{,}", .unexpectedCharacter, at: 1),
        BadInput("{\"a\" 1}", .unexpectedCharacter, at: 5),
        BadInput("{a:1}", .unexpectedCharacter, at: 1),
        BadInput("{\"a\":1]", .unexpectedCharacter, at: 6),
        BadInput("[1}", .unexpectedCharacter, at: 2),
        BadInput("trux", .unexpectedCharacter, at: 3),
        BadInput("nul1", .unexpectedCharacter, at: 3),
        BadInput("True", .unexpectedCharacter, at: 0),
        BadInput(bytes: [0xEF, 0xBB, 0xBF, 0x31], .unexpectedCharacter, at: 0),  // byte order mark
        // invalid number
        BadInput("01", .invalidNumber, at: 1),
        BadInput("-01", .invalidNumber, at: 2),
        BadInput("00", .invalidNumber, at: 1),
        BadInput("-Infinity", .invalidNumber, at: 1),
        BadInput("-a", .invalidNumber, at: 1),
        BadInput("1.e5", .invalidNumber, at: 2),
        BadInput("1.x", .invalidNumber, at: 2),
        BadInput("1e+x", .invalidNumber, at: 3),
        BadInput("[1ee2]", .invalidNumber, at: 3),
        // invalid escape
        BadInput(#""\x""#, .invalidEscape, at: 2),
        BadInput(#""ab\'""#, .invalidEscape, at: 4),
        BadInput(#""\u12G4""#, .invalidEscape, at: 5),
        BadInput(#""\U0041""#, .invalidEscape, at: 2),
        BadInput(#""\ud83d\uzzzz""#, .invalidEscape, at: 9),
        // unpaired surrogate
        BadInput(#""\ud800""#, .unpairedSurrogate, at: 1),
        BadInput(#""ab\ud800x""#, .unpairedSurrogate, at: 3),
        BadInput(#""\udc00""#, .unpairedSurrogate, at: 1),
        BadInput(#""\ud800\u0041""#, .unpairedSurrogate, at: 1),
        BadInput(#""\ud800\ud800""#, .unpairedSurrogate, at: 1),
        BadInput(#""\ud800\n""#, .unpairedSurrogate, at: 1),
        // control characters
        BadInput("\"a\nb\"", .controlCharacter, at: 2),
        BadInput("\"\t\"", .controlCharacter, at: 1),
        BadInput(bytes: [0x22, 0x00, 0x22], .controlCharacter, at: 1),
        BadInput("\"abcdefghij\u{1F}\"", .controlCharacter, at: 11),
        BadInput("\"a\\nb\u{1}\"", .controlCharacter, at: 5),
        // invalid UTF-8 inside strings
        BadInput(bytes: [0x22, 0x61, 0xC3, 0x28, 0x22], .invalidUTF8, at: 2),
        BadInput(bytes: [0x22, 0xC3, 0x22], .invalidUTF8, at: 1),  // truncated sequence
        BadInput(bytes: [0x22, 0x80, 0x22], .invalidUTF8, at: 1),  // lone continuation byte
        BadInput(bytes: [0x22, 0xC0, 0x80, 0x22], .invalidUTF8, at: 1),  // overlong NUL
        BadInput(bytes: [0x22, 0xE0, 0x80, 0x80, 0x22], .invalidUTF8, at: 1),  // overlong
        BadInput(bytes: [0x22, 0xED, 0xA0, 0x80, 0x22], .invalidUTF8, at: 1),  // encoded surrogate
        BadInput(bytes: [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], .invalidUTF8, at: 1),  // above U+10FFFF
        BadInput(bytes: [0x22, 0xF5, 0x80, 0x80, 0x80, 0x22], .invalidUTF8, at: 1),
        BadInput(bytes: [0x22, 0xFF, 0x22], .invalidUTF8, at: 1),
        BadInput(bytes: Array("\"abcdefgh\\n".utf8) + [0xE2, 0x82, 0x22], .invalidUTF8, at: 11),
        BadInput(bytes: Array("{\"abcdefghijkl".utf8) + [0xC3, 0x28] + Array("\":1}".utf8), .invalidUTF8, at: 14),
        // invalid UTF-8 earlier in a string wins over a later error in it
        BadInput(bytes: [0x22, 0xC3, 0x28, 0x0A, 0x22], .invalidUTF8, at: 1),
        BadInput(bytes: [0x22, 0xC3, 0x28, 0x5C, 0x71, 0x22], .invalidUTF8, at: 1),
        // invalid UTF-8 outside strings
        BadInput(bytes: [0x5B, 0xC3, 0xA9, 0x5D], .unexpectedCharacter, at: 1),
        // trailing data
        BadInput("1 2", .trailingData, at: 2),
        BadInput("{}x", .trailingData, at: 2),
        BadInput("null,", .trailingData, at: 4),
        BadInput("[] []", .trailingData, at: 3),
        BadInput("1.5.3", .trailingData, at: 3),
        BadInput("truex", .trailingData, at: 4),
        BadInput("\"a\"\"b\"", .trailingData, at: 3),
        // limits
        BadInput("[[1]]", .tooDeep, at: 1, limits: JSONLimits(maxDepth: 1)),
        BadInput("[{\"a\":{}}]", .tooDeep, at: 6, limits: JSONLimits(maxDepth: 2)),
        BadInput("[]", .tooDeep, at: 0, limits: JSONLimits(maxDepth: 0)),
        BadInput("[\"abcd\"]", .stringTooLong, at: 1, limits: JSONLimits(maxStringBytes: 3)),
        BadInput("{\"abcd\":1}", .stringTooLong, at: 1, limits: JSONLimits(maxStringBytes: 3)),
        BadInput(#""a\nbc""#, .stringTooLong, at: 0, limits: JSONLimits(maxStringBytes: 3)),
        BadInput("1234", .inputTooLarge, at: 3, limits: JSONLimits(maxInputBytes: 3)),
    ]

    @Test("each malformed input fails with its code at its offset", arguments: cases)
    func rejects(_ input: BadInput) {
        #expect(throws: JSONParseError(code: input.code, byteOffset: input.offset, byte: input.byte)) {
            try JSONParser.parse(input.bytes, limits: input.limits)
        }
    }

    @Test("a control byte, invalid UTF-8 or a quote is found at every position of a long string")
    func everyPosition() throws {
        let cases: [(byte: UInt8, code: JSONParseError.Code, offset: Int)] = [
            (0x1F, .controlCharacter, 1), (0xC3, .invalidUTF8, 1), (UInt8(ascii: "\""), .trailingData, 2),
        ]
        for position in 0..<24 {
            for (byte, code, offset) in cases {
                var input = [UInt8](repeating: UInt8(ascii: "x"), count: 26)
                input[0] = UInt8(ascii: "\"")
                input[25] = UInt8(ascii: "\"")
                input[1 + position] = byte
                let expected = JSONParseError(code: code, byteOffset: offset + position, byte: input[offset + position])
                #expect(throws: expected) { try JSONParser.parse(input) }
            }
        }
    }

    @Test("100k nested arrays fail with tooDeep instead of exhausting the stack")
    func hugeNesting() {
        let bytes = [UInt8](repeating: UInt8(ascii: "["), count: 100_000)
        #expect(throws: JSONParseError(code: .tooDeep, byteOffset: 256, byte: UInt8(ascii: "["))) {
            try JSONParser.parse(bytes)
        }
        let objects = Array(String(repeating: "{\"a\":", count: 100_000).utf8)
        #expect(throws: JSONParseError(code: .tooDeep, byteOffset: 256 * 5, byte: UInt8(ascii: "{"))) {
            try JSONParser.parse(objects)
        }
    }

    @Test("typed throws: the error is a JSONParseError without casting")
    func typedThrows() {
        do {
            _ = try JSONParser.parse("[1,]")
            Issue.record("expected an error")
        } catch {
            let typed: JSONParseError = error
            #expect(typed.code == .unexpectedCharacter)
            #expect(typed.byteOffset == 3)
            #expect(typed.byte == UInt8(ascii: "]"))
        }
    }

    @Test("descriptions name the offset and the problem")
    func descriptions() {
        #expect(
            JSONParseError(code: .unexpectedCharacter, byteOffset: 17, byte: UInt8(ascii: "x")).description
                == "invalid JSON at byte 17: unexpected character 'x'")
        #expect(
            JSONParseError(code: .unexpectedEnd, byteOffset: 4).description
                == "invalid JSON at byte 4: unexpected end of input")
        #expect(
            JSONParseError(code: .invalidUTF8, byteOffset: 2, byte: 0xC3).description
                == "invalid JSON at byte 2: invalid UTF-8 byte 0xC3 in string")
        #expect(
            JSONParseError(code: .controlCharacter, byteOffset: 2, byte: 0x0A).description
                == "invalid JSON at byte 2: unescaped control character 0x0A in string")
        #expect(JSONParseError.Code.tooDeep.description == "too-deep")
        // Every code has its own message.
        let codes: [JSONParseError.Code] = [
            .unexpectedEnd, .unexpectedCharacter, .invalidNumber, .invalidEscape, .unpairedSurrogate,
            .controlCharacter, .invalidUTF8, .tooDeep, .trailingData, .stringTooLong, .inputTooLarge,
        ]
        let messages = Set(codes.map { JSONParseError(code: $0, byteOffset: 0, byte: 0x41).description })
        #expect(messages.count == codes.count)
    }
}

extension BadInput {
    /// The byte the error must report: the one at the offset, if the input has it.
    var byte: UInt8? { offset < bytes.count ? bytes[offset] : nil }
}
