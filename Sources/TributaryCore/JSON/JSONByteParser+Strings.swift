extension JSONByteParser {
    /// Parses a string whose opening quote is at `index`.
    ///
    /// Fast path: a string without escapes is scanned once for its closing
    /// quote and copied into a `String` in one step; only a string holding
    /// non-ASCII bytes is checked for well-formed UTF-8 first. A string with
    /// escapes is decoded into `scratch` and checked the same way at the end.
    mutating func parseString() throws(JSONParseError) -> String {
        let contentStart = index + 1
        // OR of the content bytes: its high bits say whether UTF-8 needs checking.
        var seen: UInt64 = 0
        let stop = JSONStringScan.firstStop(in: input, from: contentStart, seen: &seen)
        guard stop < input.count else {
            throw stringError(.unexpectedEnd, at: stop, contentStart: contentStart)
        }
        let isASCII = seen & 0x8080_8080_8080_8080 == 0
        switch input[stop] {
        case UInt8(ascii: "\""):
            try checkContent(contentStart..<stop, isASCII: isASCII)
            index = stop + 1
            return Self.makeString(UnsafeBufferPointer(rebasing: input[contentStart..<stop]))
        case UInt8(ascii: "\\"):
            return try parseEscapedString(contentStart: contentStart, firstEscape: stop, isASCII: isASCII)
        default:
            throw stringError(.controlCharacter, at: stop, contentStart: contentStart)
        }
    }

    /// The slow path of `parseString`, from the first backslash on.
    private mutating func parseEscapedString(
        contentStart: Int, firstEscape: Int, isASCII: Bool
    ) throws(JSONParseError) -> String {
        scratch.removeAll(keepingCapacity: true)
        var seen: UInt64 = isASCII ? 0 : 0x80
        var runStart = contentStart
        var stop = firstEscape
        while stop < input.count {
            switch input[stop] {
            case UInt8(ascii: "\""):
                // Escapes decode to whole scalars, so the decoded bytes are
                // well-formed exactly when the raw bytes are: check the raw ones.
                try checkContent(contentStart..<stop, isASCII: seen & 0x8080_8080_8080_8080 == 0)
                scratch.append(contentsOf: UnsafeBufferPointer(rebasing: input[runStart..<stop]))
                index = stop + 1
                return scratch.withUnsafeBufferPointer { Self.makeString($0) }
            case UInt8(ascii: "\\"):
                scratch.append(contentsOf: UnsafeBufferPointer(rebasing: input[runStart..<stop]))
                runStart = try decodeEscape(at: stop, contentStart: contentStart)
                stop = JSONStringScan.firstStop(in: input, from: runStart, seen: &seen)
            default:
                throw stringError(.controlCharacter, at: stop, contentStart: contentStart)
            }
        }
        throw stringError(.unexpectedEnd, at: stop, contentStart: contentStart)
    }

    /// Decodes the escape whose backslash is at `backslash` into `scratch`;
    /// returns the offset just after it.
    private mutating func decodeEscape(at backslash: Int, contentStart: Int) throws(JSONParseError) -> Int {
        let code = backslash + 1
        guard code < input.count else { throw stringError(.unexpectedEnd, at: code, contentStart: contentStart) }
        let decoded: UInt8
        switch input[code] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): decoded = input[code]
        case UInt8(ascii: "b"): decoded = 0x08
        case UInt8(ascii: "f"): decoded = 0x0C
        case UInt8(ascii: "n"): decoded = 0x0A
        case UInt8(ascii: "r"): decoded = 0x0D
        case UInt8(ascii: "t"): decoded = 0x09
        case UInt8(ascii: "u"): return try decodeUnicodeEscape(at: backslash, contentStart: contentStart)
        default: throw stringError(.invalidEscape, at: code, contentStart: contentStart)
        }
        scratch.append(decoded)
        return code + 1
    }

    /// Decodes `\uXXXX`, or a `\uD8xx\uDCxx` surrogate pair, into UTF-8 in `scratch`.
    private mutating func decodeUnicodeEscape(at backslash: Int, contentStart: Int) throws(JSONParseError) -> Int {
        let unit = try hex4(at: backslash + 2, contentStart: contentStart)
        var after = backslash + 6
        var scalar = UInt32(unit)
        switch unit {
        case 0xD800...0xDBFF:
            // A high surrogate must be followed at once by an escaped low surrogate.
            guard after < input.count else {
                throw stringError(.unexpectedEnd, at: after, contentStart: contentStart)
            }
            guard input[after] == UInt8(ascii: "\\") else {
                throw stringError(.unpairedSurrogate, at: backslash, contentStart: contentStart)
            }
            guard after + 1 < input.count else {
                throw stringError(.unexpectedEnd, at: after + 1, contentStart: contentStart)
            }
            guard input[after + 1] == UInt8(ascii: "u") else {
                throw stringError(.unpairedSurrogate, at: backslash, contentStart: contentStart)
            }
            let low = try hex4(at: after + 2, contentStart: contentStart)
            guard (0xDC00...0xDFFF).contains(low) else {
                throw stringError(.unpairedSurrogate, at: backslash, contentStart: contentStart)
            }
            scalar = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
            after += 6
        case 0xDC00...0xDFFF:
            throw stringError(.unpairedSurrogate, at: backslash, contentStart: contentStart)
        default:
            break
        }
        UTF8Bytes.append(scalar: scalar, to: &scratch)
        return after
    }

    /// Four hex digits at `start`, as a UTF-16 code unit.
    private func hex4(at start: Int, contentStart: Int) throws(JSONParseError) -> UInt16 {
        var unit: UInt16 = 0
        for cursor in start..<(start + 4) {
            guard cursor < input.count else { throw stringError(.unexpectedEnd, at: cursor, contentStart: contentStart) }
            guard let digit = JSONStringScan.hexDigit(input[cursor]) else {
                throw stringError(.invalidEscape, at: cursor, contentStart: contentStart)
            }
            unit = unit << 4 | UInt16(digit)
        }
        return unit
    }

    /// A `String` holding `utf8`, which the caller has checked is well-formed.
    ///
    /// `String(unsafeUninitializedCapacity:initializingUTF8With:)` builds
    /// short strings with about a third fewer instructions than
    /// `String(decoding:as:)` (measured with callgrind); both re-check the bytes.
    @inline(__always)
    static func makeString(_ utf8: UnsafeBufferPointer<UInt8>) -> String {
        String(unsafeUninitializedCapacity: utf8.count) { buffer in
            _ = buffer.initialize(fromContentsOf: utf8)
            return utf8.count
        }
    }

    /// Enforces the length limit and well-formed UTF-8 on a string's raw content.
    @inline(__always)
    private func checkContent(_ content: Range<Int>, isASCII: Bool) throws(JSONParseError) {
        if let maxStringBytes = limits.maxStringBytes, content.count > maxStringBytes {
            throw error(.stringTooLong, at: content.lowerBound - 1)
        }
        if !isASCII, let bad = firstInvalidUTF8(in: content) { throw error(.invalidUTF8, at: bad) }
    }

    /// An error inside a string; malformed UTF-8 earlier in the same string is
    /// reported instead, so the error is always the first one in the input.
    private func stringError(_ code: JSONParseError.Code, at offset: Int, contentStart: Int) -> JSONParseError {
        if let bad = firstInvalidUTF8(in: contentStart..<min(offset, input.count)) {
            return error(.invalidUTF8, at: bad)
        }
        return error(code, at: offset)
    }

    /// The offset where the first ill-formed UTF-8 sequence in `range` starts,
    /// or `nil` when it is well-formed.
    func firstInvalidUTF8(in range: Range<Int>) -> Int? {
        UTF8Bytes.firstInvalid(in: input, range)
    }
}
