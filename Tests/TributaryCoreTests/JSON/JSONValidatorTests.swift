import Testing

@testable import TributaryCore

/// `JSONValidator` must accept exactly what `JSONParser` accepts: the
/// streaming route copies validated bytes into documents on its word.
@Suite("JSONValidator agrees with JSONParser")
struct JSONValidatorTests {
    static func accepts(_ bytes: [UInt8], limits: JSONLimits = JSONLimits()) -> Bool {
        bytes.withUnsafeBytes { raw in
            let validator = JSONValidator(raw, limits: limits)
            guard let end = validator.skipValue(validator.skipSpace(0), depth: 0) else { return false }
            return validator.skipSpace(end) == raw.count
        }
    }

    static func parses(_ bytes: [UInt8], limits: JSONLimits = JSONLimits()) -> Bool {
        (try? JSONParser.parse(bytes, limits: limits)) != nil
    }

    @Test("every malformed input the parser rejects is rejected", arguments: JSONParserErrorTests.cases.filter { $0.code != .inputTooLarge })
    func rejectsMalformed(input: BadInput) {
        #expect(!Self.accepts(input.bytes, limits: input.limits))
    }

    @Test("random documents, compact and spaced out, are accepted to their last byte")
    func acceptsRandomDocuments() {
        var random = RandomJSON(seed: 0x5EED_0001)
        for _ in 0..<2_000 {
            let compact = JSONWriter.encode(random.value())
            #expect(Self.accepts(compact), "\(String(decoding: compact, as: UTF8.self))")
            let spaced = Self.spaceOut(compact)
            #expect(Self.accepts(spaced), "\(String(decoding: spaced, as: UTF8.self))")
        }
    }

    @Test("random mutations are accepted exactly when the parser accepts them, under several limits")
    func mutationsAgree() {
        var random = RandomJSON(seed: 0x5EED_0002)
        var generator = SeededGenerator(seed: 0x5EED_0003)
        let limitsChoices = [JSONLimits(), JSONLimits(maxDepth: 2), JSONLimits(maxDepth: 4, maxStringBytes: 6)]
        let alphabet = Array(#"{}[]",:\u0\/ -+.eE1tfn"#.utf8) + [0x00, 0x1F, 0x7F, 0x80, 0xC3, 0xA9, 0xED, 0xF0, 0xFF]
        var accepted = 0
        var rejected = 0
        for _ in 0..<20_000 {
            var bytes = JSONWriter.encode(random.value())
            if Bool.random(using: &generator) { bytes = Self.spaceOut(bytes) }
            for _ in 0..<Int.random(in: 1...3, using: &generator) {
                let at = Int.random(in: 0...bytes.count, using: &generator)
                let byte = alphabet.randomElement(using: &generator) ?? 0x20
                switch Int.random(in: 0..<3, using: &generator) {
                case 0 where at < bytes.count: bytes[at] = byte
                case 1 where at < bytes.count: bytes.remove(at: at)
                default: bytes.insert(byte, at: at)
                }
            }
            let limits = limitsChoices.randomElement(using: &generator) ?? JSONLimits()
            let parses = Self.parses(bytes, limits: limits)
            #expect(Self.accepts(bytes, limits: limits) == parses, "\(bytes) with \(limits)")
            if parses { accepted += 1 } else { rejected += 1 }
        }
        // Both outcomes must be well represented, or the test proves little.
        #expect(accepted > 1_000 && rejected > 2_000, "accepted \(accepted), rejected \(rejected)")
    }

    @Test("writeCompact writes exactly what JSONWriter writes for the parse, or fails when the parse fails")
    func compactAgrees() {
        var random = RandomJSON(seed: 0x5EED_0004)
        var generator = SeededGenerator(seed: 0x5EED_0005)
        var scratch: [UInt8] = []
        for round in 0..<5_000 {
            var bytes = JSONWriter.encode(random.value())
            if round % 2 == 0 { bytes = Self.spaceOut(bytes) }
            if round % 3 == 0, !bytes.isEmpty {  // a mutation in a third of the rounds
                bytes.insert(Array(#"{}[]",:\ 1"#.utf8).randomElement(using: &generator) ?? 0x20,
                             at: Int.random(in: 0..<bytes.count, using: &generator))
            }
            let expected = (try? JSONParser.parse(bytes)).map(JSONWriter.encode)
            var writer = JSONWriter()
            let written: Bool = bytes.withUnsafeBytes { raw in
                let validator = JSONValidator(raw, limits: JSONLimits())
                guard let end = validator.writeCompact(validator.skipSpace(0), depth: 0, into: &writer, scratch: &scratch) else { return false }
                return validator.skipSpace(end) == raw.count
            }
            #expect((written ? writer.bytes : nil) == expected, "\(String(decoding: bytes, as: UTF8.self))")
        }
    }

    @Test("decoding while validating agrees with skipString followed by decodeString")
    func validatingDecodeAgrees() {
        var random = RandomJSON(seed: 0x5EED_0006)
        var generator = SeededGenerator(seed: 0x5EED_0007)
        let limitsChoices = [JSONLimits(), JSONLimits(maxStringBytes: 6)]
        let alphabet = Array(#""\u0/bnD8C9"#.utf8) + [0x00, 0x1F, 0x7F, 0x80, 0xC3, 0xA9, 0xED, 0xF0, 0xFF]
        var valid = 0
        for round in 0..<10_000 {
            // A Json column's shape: a JSON document inside a string, full of escapes.
            let document = String(decoding: JSONWriter.encode(random.value()), as: UTF8.self)
            var bytes = JSONWriter.encode(.string(document))
            if round % 4 != 0 { bytes.mutate(from: alphabet, using: &generator) }
            let limits = limitsChoices[round % 2]
            bytes.withUnsafeBytes { raw in
                let validator = JSONValidator(raw, limits: limits)
                var decoded: [UInt8] = []
                let end = validator.decodeString(validating: 0, into: &decoded)
                let skipped = validator.skipString(0)
                #expect(end == skipped?.end, "\(String(decoding: bytes, as: UTF8.self))")
                guard let skipped, end != nil else { return }
                var expected: [UInt8] = []
                validator.decodeString(0..<skipped.end, into: &expected)
                #expect(decoded == expected)
                valid += 1
            }
        }
        #expect(valid > 2_000, "only \(valid) strings were valid")
    }

    @Test("decoding while validating never writes past the room it asks for")
    func validatingDecodeStaysInItsRoom() {
        // Every length around the 8-byte word, escapes at every position, the
        // string at the very end of the input: the word stores must stay in
        // `input.count - start` bytes. Sentinels after the room catch a store
        // past it.
        let pieces: [[UInt8]] = [Array("a".utf8), Array(#"\""#.utf8), Array(#"\\"#.utf8), Array(#"\u00e9"#.utf8), Array("é".utf8)]
        var generator = SeededGenerator(seed: 0x5EED_0008)
        for length in 0..<40 {
            for _ in 0..<20 {
                var bytes: [UInt8] = Array(#"{"x":"#.utf8) + [UInt8(ascii: "\"")]
                for _ in 0..<length { bytes += pieces[Int(generator.next() % UInt64(pieces.count))] }
                bytes.append(UInt8(ascii: "\""))
                let start = 5
                let room = bytes.count - start
                var out = [UInt8](repeating: 0xAB, count: room + 16)
                let result = bytes.withUnsafeBytes { raw in
                    out.withUnsafeMutableBufferPointer { JSONValidator(raw, limits: JSONLimits()).decodeString(validating: start, to: $0.baseAddress!) }
                }
                #expect(out[room...].allSatisfy { $0 == 0xAB }, "wrote past the room for \(String(decoding: bytes, as: UTF8.self))")
                guard let result else {
                    Issue.record("rejected \(String(decoding: bytes, as: UTF8.self))")
                    continue
                }
                var expected: [UInt8] = []
                bytes.withUnsafeBytes { JSONValidator($0, limits: JSONLimits()).decodeString(start..<result.end, into: &expected) }
                #expect(result.end == bytes.count && Array(out[..<result.count]) == expected)
            }
        }
    }

    @Test("skipString reports escapes and the end after the closing quote")
    func strings() {
        for (text, end, escaped) in [(#""abc""#, 5, false), (#""a\"b" "#, 6, true), (#""\u00e9","#, 8, true), (#""""#, 2, false)] {
            Array(text.utf8).withUnsafeBytes { raw in
                let result = JSONValidator(raw, limits: JSONLimits()).skipString(0)
                #expect(result?.end == end && result?.escaped == escaped, "\(text)")
            }
        }
    }

    @Test("strings and numbers of every length around the 8- and 16-byte blocks agree with the parser")
    func blockBoundaries() {
        // A string's fast path reads the 16 bytes after its opening quote, a
        // number's digits go 8 at a time: put every kind of stop at every
        // position of lengths around both, with the value at the very end of
        // the input or followed by more, under a string limit on either side.
        let stops: [[UInt8]] = [[], Array(#"""#.utf8), [0x01], [0xC3, 0xA9], [0xFF], Array(#"é"#.utf8), [0x7F]]
        let limitsChoices = [JSONLimits(), JSONLimits(maxStringBytes: 9), JSONLimits(maxStringBytes: 15), JSONLimits(maxStringBytes: 16)]
        var checked = 0
        for length in 0..<40 {
            for stop in stops {
                for at in Set([0, length / 2, max(0, length - 1), length]) where at <= length {
                    var content = [UInt8](repeating: UInt8(ascii: "k"), count: length)
                    content.insert(contentsOf: stop, at: at)
                    let string = [UInt8(ascii: "\"")] + content + [UInt8(ascii: "\"")]
                    for document in [string, [UInt8(ascii: "[")] + string + Array(#","x"] "#.utf8)] {
                        for limits in limitsChoices {
                            #expect(Self.accepts(document, limits: limits) == Self.parses(document, limits: limits),
                                    "\(String(decoding: document, as: UTF8.self)) with \(limits)")
                            checked += 1
                        }
                    }
                }
            }
            let digits = (0..<length).map { UInt8(ascii: "0") + UInt8(($0 * 7 + 1) % 10) }
            for tail in [[], Array(".5".utf8), Array("e9".utf8), [UInt8(ascii: "/")], [UInt8(ascii: ":")], [0xFA], [0xFF], [0x36]] {
                let number = (length == 0 ? [] : [UInt8(ascii: "1")]) + digits + tail
                for document in [number, [UInt8(ascii: "[")] + number + [UInt8(ascii: "]")], Array("-".utf8) + number] {
                    #expect(Self.accepts(document) == Self.parses(document), "\(String(decoding: document, as: UTF8.self))")
                    checked += 1
                }
            }
        }
        #expect(checked > 5_000)
    }

    @Test("integerLiteral reads exactly the JSON numbers that are integers within Int64")
    func integerLiterals() {
        // The reference: a valid JSON number (skipNumber), all digits, within Int64.
        func reference(_ bytes: [UInt8]) -> (value: Int64, end: Int)? {
            bytes.withUnsafeBytes { raw in
                let validator = JSONValidator(raw, limits: JSONLimits())
                guard !bytes.isEmpty, let end = validator.skipNumber(0) else { return nil }
                let text = String(decoding: bytes[..<end], as: UTF8.self)
                guard text.utf8.allSatisfy({ $0 == UInt8(ascii: "-") || ($0 >= 0x30 && $0 <= 0x39) }), let value = Int64(text) else {
                    return nil
                }
                return (value, end)
            }
        }
        var generator = SeededGenerator(seed: 0x5EED_000A)
        let alphabet = Array("0123456789999000-.eE+ ,}x".utf8)
        var cases = ["0", "-0", "00", "01", "-01", "-", "", "1.", "1.5", "1e5", "1E5", "2e", "9223372036854775807",
                     "9223372036854775808", "-9223372036854775808", "-9223372036854775809", "18446744073709551616",
                     "99999999999999999999999", "7,", "7}", "7 "].map { Array($0.utf8) }
        for _ in 0..<30_000 {
            cases.append((0..<Int(generator.next() % 24)).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] })
        }
        var integers = 0
        for bytes in cases {
            let read = bytes.withUnsafeBytes { JSONValidator($0, limits: JSONLimits()).integerLiteral(at: 0) }
            let expected = reference(bytes)
            #expect(read?.value == expected?.value && read?.end == expected?.end, "\(String(decoding: bytes, as: UTF8.self))")
            if expected != nil { integers += 1 }
        }
        #expect(integers > 3_000, "only \(integers) integers")
    }

    @Test("the digit mask flags exactly the first byte that is not a digit")
    func nonDigitMask() {
        var generator = SeededGenerator(seed: 0x5EED_0009)
        let interesting: [UInt8] = [0x2F, 0x30, 0x39, 0x3A, 0x00, 0x20, 0x2E, 0x45, 0x65, 0xF9, 0xFA, 0xFF, 0x80, 0xB0, 0x33]
        for _ in 0..<50_000 {
            let bytes = (0..<8).map { _ in
                generator.next() % 3 == 0 ? UInt8(truncatingIfNeeded: generator.next()) : interesting[Int(generator.next() % UInt64(interesting.count))]
            }
            let word = bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
            let mask = JSONValidator.nonDigitMask(UInt64(littleEndian: word))
            let first = bytes.firstIndex { $0 < UInt8(ascii: "0") || $0 > UInt8(ascii: "9") }
            #expect((mask == 0 ? nil : mask.trailingZeroBitCount >> 3) == first, "\(bytes)")
        }
    }

    /// The same JSON with whitespace around every structural byte.
    static func spaceOut(_ compact: [UInt8]) -> [UInt8] {
        [0x20] + space(compact, after: [0x0A, 0x20, 0x09]) + [0x0D, 0x0A]
    }

    /// The same JSON with `spacing` after each `{`, `[`, `,` and `:` outside strings.
    static func space(_ compact: [UInt8], after spacing: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var inString = false
        var escaped = false
        for byte in compact {
            out.append(byte)
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["), UInt8(ascii: ","), UInt8(ascii: ":"): out.append(contentsOf: spacing)
            default: break
            }
        }
        return out
    }
}
