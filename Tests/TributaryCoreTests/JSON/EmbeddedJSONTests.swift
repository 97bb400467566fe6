import Testing

@testable import TributaryCore

/// `writeEmbeddedCompact` (a Json column in one pass) must write exactly what
/// decoding the string and compacting its text write, and must take every
/// string of the shape it is for.
@Suite("Json columns in one pass")
struct EmbeddedJSONTests {
    /// The two passes the one pass stands in for: the string decoded
    /// (`nil`: not a valid string), then its text compacted (`nil`: not JSON).
    static func twoPasses(_ bytes: [UInt8], limits: JSONLimits, embedded: JSONLimits) -> (end: Int, compact: [UInt8]?)? {
        // Callers start at a quote, which `decodeString` takes on trust.
        guard bytes.first == UInt8(ascii: "\"") else { return nil }
        return bytes.withUnsafeBytes { raw in
            let validator = JSONValidator(raw, limits: limits)
            var decoded: [UInt8] = []
            guard let end = validator.decodeString(validating: 0, into: &decoded) else { return nil }
            return decoded.withUnsafeBufferPointer { text in
                let inner = JSONValidator(text, limits: embedded)
                var writer = JSONWriter()
                var scratch: [UInt8] = []
                guard let valueEnd = inner.writeCompact(inner.skipSpace(0), depth: 0, into: &writer, scratch: &scratch),
                    inner.skipSpace(valueEnd) == text.count
                else { return (end, nil) }
                return (end, writer.bytes)
            }
        }
    }

    static func onePass(_ bytes: [UInt8], limits: JSONLimits, embedded: JSONLimits) -> (end: Int, compact: [UInt8])? {
        bytes.withUnsafeBytes { raw in
            let out = UnsafeMutablePointer<UInt8>.allocate(capacity: max(raw.count, 1))
            defer { out.deallocate() }
            guard let result = JSONValidator(raw, limits: limits).writeEmbeddedCompact(stringAt: 0, embedded: embedded, to: out) else {
                return nil
            }
            return (result.end, Array(UnsafeBufferPointer(start: out, count: result.count)))
        }
    }

    /// Whether every backslash in the string's content escapes a quote: the
    /// shape the one pass is for.
    static func onlyQuoteEscapes(_ bytes: [UInt8], end: Int) -> Bool {
        var cursor = 1
        while cursor < end - 1 {
            if bytes[cursor] == UInt8(ascii: "\\") {
                guard bytes[cursor + 1] == UInt8(ascii: "\"") else { return false }
                cursor += 2
            } else {
                cursor += 1
            }
        }
        return true
    }

    /// `value` with every string (keys too) stripped of what JSON escapes,
    /// so its text's only escapes inside a string are quotes.
    static func plain(_ value: JSONValue) -> JSONValue {
        func strip(_ string: String) -> String {
            String(String.UnicodeScalarView(string.unicodeScalars.filter { $0.value >= 0x20 && $0 != "\"" && $0 != "\\" }))
        }
        switch value {
        case .string(let string): return .string(strip(string))
        case .array(let elements): return .array(elements.map(plain))
        case .object(let object):
            var stripped = JSONObject()
            for member in object { stripped.append(key: strip(member.key), value: plain(member.value)) }
            return .object(stripped)
        default: return value
        }
    }

    @Test("agrees with decoding and compacting, and takes every string of its shape, under several limits")
    func agreesWithTwoPasses() {
        var random = RandomJSON(seed: 0x5EED_0E01)
        var generator = SeededGenerator(seed: 0x5EED_0E02)
        let limitsChoices = [JSONLimits(), JSONLimits(maxStringBytes: 60)]
        let embeddedChoices = [JSONLimits(), JSONLimits(maxDepth: 2, maxStringBytes: 6)]
        let alphabet = Array(#"{}[]",:\ u0n1-.e"#.utf8) + [0x00, 0x0A, 0x7F, 0xC3, 0xA9, 0xFF]
        var taken = 0
        var declinedValid = 0
        for round in 0..<12_000 {
            let value = round % 3 == 0 ? random.value() : Self.plain(random.value())
            var text = JSONWriter.encode(value)
            switch round % 4 {
            case 0: text = JSONValidatorTests.space(text, after: [0x20])  // as PostgreSQL writes jsonb
            case 1: text = JSONValidatorTests.spaceOut(text)  // newlines and tabs: escapes in the string
            default: break
            }
            var bytes = JSONWriter.encode(.string(String(decoding: text, as: UTF8.self)))
            if round % 5 == 0 { bytes.mutate(from: alphabet, using: &generator) }
            bytes += Array(#","next":1}"#.utf8)  // the rest of a row follows the column
            let limits = limitsChoices[round % 2]
            let embedded = embeddedChoices[(round / 2) % 2]
            let reference = Self.twoPasses(bytes, limits: limits, embedded: embedded)
            let one = Self.onePass(bytes, limits: limits, embedded: embedded)
            if let one {
                #expect(reference?.end == one.end && reference?.compact == one.compact, "\(String(decoding: bytes, as: UTF8.self))")
                taken += 1
            } else if let reference, reference.compact != nil {
                declinedValid += 1
                // Declining is right only outside the shape it is for.
                #expect(!Self.onlyQuoteEscapes(bytes, end: reference.end), "declined \(String(decoding: bytes, as: UTF8.self))")
            }
        }
        #expect(taken > 4_000 && declinedValid > 1_000, "taken \(taken), declined \(declinedValid)")
    }

    @Test("never writes past the room it asks for")
    func staysInItsRoom() {
        // Strings ending at the input's very end, of every length around the
        // 8- and 16-byte stores; sentinels after the room catch a stray store.
        var generator = SeededGenerator(seed: 0x5EED_0E03)
        let pieces = [#"\"a\""#, #"\"abcdefghijklmnopq\""#, "1", ",", " ", "é", #"\"\""#]
        for length in 0..<48 {
            for _ in 0..<10 {
                var text = #"["#
                for _ in 0..<length { text += pieces[Int(generator.next() % UInt64(pieces.count))] }
                let bytes = Array(#"{"x":"#.utf8) + Array("\"\(text)\"".utf8)
                let start = 5
                let room = bytes.count - start
                var out = [UInt8](repeating: 0xAB, count: room + 32)
                _ = bytes.withUnsafeBytes { raw in
                    out.withUnsafeMutableBufferPointer { buffer in
                        buffer.baseAddress.flatMap {
                            JSONValidator(raw, limits: JSONLimits()).writeEmbeddedCompact(stringAt: start, embedded: JSONLimits(), to: $0)
                        }
                    }
                }
                #expect(out[room...].allSatisfy { $0 == 0xAB }, "wrote past the room for \(text)")
            }
        }
    }
}
