extension JSONByteParser {
    /// Parses a number literal at `index` (which holds `-` or a digit) and keeps its text.
    ///
    /// Grammar (RFC 8259 §6): `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    mutating func parseNumber() throws(JSONParseError) -> JSONNumber {
        let start = index
        var cursor = index
        if input[cursor] == UInt8(ascii: "-") { cursor += 1 }
        guard cursor < input.count else { throw error(.unexpectedEnd, at: cursor) }
        switch input[cursor] {
        case UInt8(ascii: "0"):
            cursor += 1
            if cursor < input.count, isDigit(input[cursor]) { throw error(.invalidNumber, at: cursor) }
        case UInt8(ascii: "1")...UInt8(ascii: "9"):
            cursor = skipDigits(from: cursor + 1)
        default:
            throw error(.invalidNumber, at: cursor)
        }
        if cursor < input.count, input[cursor] == UInt8(ascii: ".") {
            cursor = try requireDigits(from: cursor + 1)
        }
        if cursor < input.count, input[cursor] | 0x20 == UInt8(ascii: "e") {
            cursor += 1
            if cursor < input.count, input[cursor] == UInt8(ascii: "+") || input[cursor] == UInt8(ascii: "-") {
                cursor += 1
            }
            cursor = try requireDigits(from: cursor)
        }
        index = cursor
        return JSONNumber(unchecked: Self.makeString(UnsafeBufferPointer(rebasing: input[start..<cursor])))
    }

    /// Consumes `word` (`true`, `false` or `null`: a literal of several
    /// characters, so `utf8Start` is valid) whose first byte is at `index`.
    mutating func expectWord(_ word: StaticString) throws(JSONParseError) {
        let expected = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        for offset in 1..<expected.count {
            let cursor = index + offset
            guard cursor < input.count else { throw error(.unexpectedEnd, at: cursor) }
            guard input[cursor] == expected[offset] else { throw error(.unexpectedCharacter, at: cursor) }
        }
        index += expected.count
    }

    /// At least one digit at `cursor`, then any more; returns the offset after the last digit.
    private func requireDigits(from cursor: Int) throws(JSONParseError) -> Int {
        guard cursor < input.count else { throw error(.unexpectedEnd, at: cursor) }
        guard isDigit(input[cursor]) else { throw error(.invalidNumber, at: cursor) }
        return skipDigits(from: cursor + 1)
    }

    private func skipDigits(from cursor: Int) -> Int {
        var cursor = cursor
        while cursor < input.count, isDigit(input[cursor]) { cursor += 1 }
        return cursor
    }

    @inline(__always)
    private func isDigit(_ byte: UInt8) -> Bool {
        byte &- UInt8(ascii: "0") < 10
    }
}
