/// Checks that bytes hold JSON `JSONParser` would accept, without building
/// anything: the streaming route uses it to copy values it does not need to
/// change straight into the document.
///
/// Acceptance matches `JSONParser` exactly under the same `JSONLimits`
/// (RFC 8259 grammar, well-formed UTF-8, no unescaped control bytes, paired
/// surrogate escapes, `maxDepth`, `maxStringBytes`); the differential tests
/// hold the two together. It reports only *whether* and *where a value ends*,
/// never why: callers fall back to `JSONParser` for the error message.
/// Recursion is bounded by `limits.maxDepth`. Allocates nothing.
struct JSONValidator {
    let input: UnsafeBufferPointer<UInt8>
    let limits: JSONLimits

    init(_ input: UnsafeBufferPointer<UInt8>, limits: JSONLimits) {
        self.input = input
        self.limits = limits
    }

    init(_ input: UnsafeRawBufferPointer, limits: JSONLimits) {
        self.input = UnsafeBufferPointer(start: input.baseAddress?.assumingMemoryBound(to: UInt8.self), count: input.count)
        self.limits = limits
    }

    /// The first byte of `input[start...]` that is not JSON whitespace.
    @inline(__always)
    func skipSpace(_ start: Int) -> Int {
        var cursor = start
        while cursor < input.count {
            switch input[cursor] {
            case 0x20, 0x0A, 0x0D, 0x09: cursor += 1
            default: return cursor
            }
        }
        return cursor
    }

    /// The end of the valid value starting at `start`, or `nil`.
    /// `depth` is the number of containers already open around it.
    func skipValue(_ start: Int, depth: Int) -> Int? {
        guard start < input.count else { return nil }
        switch input[start] {
        case UInt8(ascii: "\""):
            return skipString(start)?.end
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            return skipContainer(start, depth: depth)
        case UInt8(ascii: "t"):
            return word(start, "true")
        case UInt8(ascii: "f"):
            return word(start, "false")
        case UInt8(ascii: "n"):
            return word(start, "null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return skipNumber(start)
        default:
            return nil
        }
    }

    /// The end of the object or array opening at `start`, or `nil`.
    private func skipContainer(_ start: Int, depth: Int) -> Int? {
        guard depth < limits.maxDepth else { return nil }
        let isObject = input[start] == UInt8(ascii: "{")
        let close = isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")
        var cursor = skipSpace(start + 1)
        guard cursor < input.count else { return nil }
        if input[cursor] == close { return cursor + 1 }
        while true {
            if isObject {
                guard cursor < input.count, input[cursor] == UInt8(ascii: "\""), let key = skipString(cursor) else { return nil }
                cursor = skipSpace(key.end)
                guard cursor < input.count, input[cursor] == UInt8(ascii: ":") else { return nil }
                cursor = skipSpace(cursor + 1)
            }
            guard let end = skipValue(cursor, depth: depth + 1) else { return nil }
            cursor = skipSpace(end)
            guard cursor < input.count else { return nil }
            if input[cursor] == close { return cursor + 1 }
            guard input[cursor] == UInt8(ascii: ",") else { return nil }
            cursor = skipSpace(cursor + 1)
        }
    }

    /// The string whose opening quote is at `start`: the offset after its
    /// closing quote, and whether it holds any escape. `nil` when invalid.
    ///
    /// Inlined for the common case, a short ASCII string without escapes
    /// (member names, most scalar values): when the 16 bytes after the
    /// opening quote hold its closing quote and nothing before it is a stop
    /// byte or non-ASCII, it ends there. Anything else, or fewer than 16
    /// bytes left, takes `skipStringScanning`.
    @inline(__always)
    func skipString(_ start: Int) -> (end: Int, escaped: Bool)? {
        #if _endian(little)  // lanes are read as little-endian words
        let contentStart = start + 1
        if contentStart + 16 <= input.count, let base = input.baseAddress {
            let block = UnsafeRawPointer(base + contentStart).loadUnaligned(as: SIMD16<UInt8>.self)
            var seen: UInt64 = 0
            let stop = JSONStringScan.firstStop(in: block, seen: &seen)
            if stop < 16, block[stop] == UInt8(ascii: "\""), seen & 0x8080_8080_8080_8080 == 0,
                limits.maxStringBytes.map({ stop <= $0 }) ?? true
            {
                return (contentStart + stop + 1, false)
            }
        }
        #endif
        return skipStringScanning(start)
    }

    /// `skipString` for any string: scans to its closing quote, checking
    /// escapes, control bytes, UTF-8 and `maxStringBytes`.
    func skipStringScanning(_ start: Int) -> (end: Int, escaped: Bool)? {
        let contentStart = start + 1
        var seen: UInt64 = 0
        var escaped = false
        var cursor = contentStart
        while true {
            cursor = JSONStringScan.firstStop(in: input, from: cursor, seen: &seen)
            guard cursor < input.count else { return nil }
            switch input[cursor] {
            case UInt8(ascii: "\""):
                if let maxStringBytes = limits.maxStringBytes, cursor - contentStart > maxStringBytes { return nil }
                if seen & 0x8080_8080_8080_8080 != 0,
                    UTF8Bytes.firstInvalid(in: input, contentStart..<cursor) != nil
                {
                    return nil
                }
                return (cursor + 1, escaped)
            case UInt8(ascii: "\\"):
                escaped = true
                guard let next = skipEscape(cursor) else { return nil }
                cursor = next
            default:
                return nil  // a control byte
            }
        }
    }

    /// The offset after the valid escape whose backslash is at `backslash`, or `nil`.
    func skipEscape(_ backslash: Int) -> Int? {
        let code = backslash + 1
        guard code < input.count else { return nil }
        switch input[code] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
            UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            return code + 1
        case UInt8(ascii: "u"):
            guard let unit = hex4(backslash + 2) else { return nil }
            switch unit {
            case 0xD800...0xDBFF:
                let low = backslash + 6
                guard low + 1 < input.count, input[low] == UInt8(ascii: "\\"), input[low + 1] == UInt8(ascii: "u"),
                    let second = hex4(low + 2), (0xDC00...0xDFFF).contains(second)
                else { return nil }
                return low + 6
            case 0xDC00...0xDFFF:
                return nil
            default:
                return backslash + 6
            }
        default:
            return nil
        }
    }

    /// Four hex digits at `start` as a UTF-16 code unit, or `nil`.
    func hex4(_ start: Int) -> UInt16? {
        guard start + 4 <= input.count else { return nil }
        var unit: UInt16 = 0
        for cursor in start..<(start + 4) {
            guard let digit = JSONStringScan.hexDigit(input[cursor]) else { return nil }
            unit = unit << 4 | UInt16(digit)
        }
        return unit
    }

    /// The end of the number literal at `start` (RFC 8259 §6 grammar), or `nil`.
    func skipNumber(_ start: Int) -> Int? {
        var cursor = start
        if input[cursor] == UInt8(ascii: "-") { cursor += 1 }
        guard cursor < input.count else { return nil }
        switch input[cursor] {
        case UInt8(ascii: "0"):
            cursor += 1
            if cursor < input.count, isDigit(input[cursor]) { return nil }
        case UInt8(ascii: "1")...UInt8(ascii: "9"):
            cursor = skipDigits(cursor + 1)
        default:
            return nil
        }
        if cursor < input.count, input[cursor] == UInt8(ascii: ".") {
            guard cursor + 1 < input.count, isDigit(input[cursor + 1]) else { return nil }
            cursor = skipDigits(cursor + 2)
        }
        if cursor < input.count, input[cursor] | 0x20 == UInt8(ascii: "e") {
            cursor += 1
            if cursor < input.count, input[cursor] == UInt8(ascii: "+") || input[cursor] == UInt8(ascii: "-") { cursor += 1 }
            guard cursor < input.count, isDigit(input[cursor]) else { return nil }
            cursor = skipDigits(cursor + 1)
        }
        return cursor
    }

    /// The valid JSON number at `start` when it is an integer within `Int64`
    /// (no fraction, no exponent: what `JSONNumber.int64` accepts), and its
    /// end; `nil` for anything else.
    ///
    /// One pass: the digits are read as they are checked. JSON's grammar
    /// leaves only three ways for digits to fail as a number here: a leading
    /// zero followed by more digits, no digit at all, and a fraction or
    /// exponent after them, which an integer must not have anyway.
    func integerLiteral(at start: Int) -> (value: Int64, end: Int)? {
        guard start < input.count else { return nil }
        let negative = input[start] == UInt8(ascii: "-")
        let digitsStart = negative ? start + 1 : start
        var cursor = digitsStart
        var magnitude: UInt64 = 0
        while cursor < input.count {
            let digit = input[cursor] &- UInt8(ascii: "0")
            guard digit < 10 else { break }
            let (times10, overflow) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, carry) = times10.addingReportingOverflow(UInt64(digit))
            guard !overflow, !carry else { return nil }
            magnitude = sum
            cursor += 1
        }
        let count = cursor - digitsStart
        guard count > 0, count == 1 || input[digitsStart] != UInt8(ascii: "0") else { return nil }
        if cursor < input.count {
            let next = input[cursor]
            if next == UInt8(ascii: ".") || next | 0x20 == UInt8(ascii: "e") { return nil }
        }
        if negative {
            guard magnitude <= UInt64(Int64.max) + 1 else { return nil }
            return (Int64(truncatingIfNeeded: 0 &- magnitude), cursor)
        }
        guard magnitude <= UInt64(Int64.max) else { return nil }
        return (Int64(magnitude), cursor)
    }

    private func word(_ start: Int, _ word: StaticString) -> Int? {
        let count = word.utf8CodeUnitCount
        guard start + count <= input.count else { return nil }
        let expected = word.utf8Start
        for offset in 0..<count where input[start + offset] != expected[offset] { return nil }
        return start + count
    }

    @inline(__always)
    private func skipDigits(_ start: Int) -> Int {
        var cursor = start
        #if _endian(little)  // the lowest flagged byte of a little-endian word comes first
        if let base = input.baseAddress {
            while cursor + 8 <= input.count {
                let word = UnsafeRawPointer(base + cursor).loadUnaligned(as: UInt64.self)
                let stops = Self.nonDigitMask(word)
                if stops != 0 { return cursor + stops.trailingZeroBitCount >> 3 }
                cursor += 8
            }
        }
        #endif
        while cursor < input.count, isDigit(input[cursor]) { cursor += 1 }
        return cursor
    }

    /// A mask whose lowest set bit lies in the first byte of `word` (bytes
    /// in little-endian order) that is not an ASCII digit; zero when all
    /// eight are digits.
    ///
    /// A byte is a digit when its high nibble is 3 and adding 6 leaves it 3
    /// (a low nibble of at most 9). The addition carries into the next byte
    /// only from a byte of 0xFA or more, itself flagged, so the lowest flag
    /// is exact.
    @inline(__always)
    static func nonDigitMask(_ word: UInt64) -> UInt64 {
        let high: UInt64 = 0xF0F0_F0F0_F0F0_F0F0
        let threes: UInt64 = 0x3030_3030_3030_3030
        return ((word & high) ^ threes) | (((word &+ 0x0606_0606_0606_0606) & high) ^ threes)
    }

    @inline(__always)
    private func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }

    /// The value in `range`, which the caller has validated, built as
    /// `JSONParser` builds it: scalars directly, containers and escaped
    /// strings through `JSONParser` (with the `depth` containers around them
    /// counted against `maxDepth`).
    func value(in range: Range<Int>, depth: Int) -> JSONValue? {
        let slice = UnsafeBufferPointer(rebasing: input[range])
        switch input[range.lowerBound] {
        case UInt8(ascii: "\"") where !slice.dropFirst().dropLast().contains(UInt8(ascii: "\\")):
            return .string(JSONByteParser.makeString(UnsafeBufferPointer(rebasing: slice.dropFirst().dropLast())))
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return .number(JSONNumber(unchecked: JSONByteParser.makeString(slice)))
        case UInt8(ascii: "n"): return .null
        case UInt8(ascii: "t"): return .bool(true)
        case UInt8(ascii: "f"): return .bool(false)
        default:
            var limits = limits
            limits.maxDepth -= depth
            return try? JSONParser.parse(UnsafeRawBufferPointer(slice), limits: limits)
        }
    }
}
