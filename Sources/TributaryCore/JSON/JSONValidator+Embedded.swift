extension JSONValidator {
    /// A Json column's text written compactly in one pass over the string
    /// that holds it, for the shape PostgreSQL's `json` and `jsonb` columns
    /// take in Debezium's events: the string's only escapes are `\"`, the
    /// quotes of the text's own strings, which have no escapes of their own,
    /// and the text's whitespace is spaces.
    ///
    /// For such a string at `start` it writes to `out` exactly what
    /// `decodeString(validating:to:)` followed by `writeCompact` on the
    /// decoded text (under `embedded`) writes, and returns the offset after
    /// the string's closing quote and the number of bytes written. Anything
    /// else (another escape, a control byte, text that is not JSON, a string
    /// that is not valid) returns `nil`, and the caller takes those two
    /// passes, which decide every case. `out` must have room for
    /// `input.count - start` bytes; the output never runs ahead of the input.
    ///
    /// The output is the string's content minus the backslash of each `\"`
    /// and the spaces between tokens. Skipping the decoded copy saves the
    /// second pass over the text and the stop at every escape.
    func writeEmbeddedCompact(stringAt start: Int, embedded: JSONLimits, to out: UnsafeMutablePointer<UInt8>) -> (end: Int, count: Int)? {
        guard start < input.count, input[start] == UInt8(ascii: "\"") else { return nil }
        var transcoder = EmbeddedTranscoder(scan: self, embedded: embedded, out: out)
        let contentStart = start + 1
        guard let end = transcoder.value(at: transcoder.space(contentStart), depth: 0) else { return nil }
        let close = transcoder.space(end)
        guard close < input.count, input[close] == UInt8(ascii: "\"") else { return nil }
        if let maxStringBytes = limits.maxStringBytes, close - contentStart > maxStringBytes { return nil }
        // Non-ASCII bytes can only have been inside the text's strings.
        if transcoder.seen & 0x8080_8080_8080_8080 != 0, UTF8Bytes.firstInvalid(in: input, contentStart..<close) != nil {
            return nil
        }
        return (close + 1, transcoder.written)
    }
}

/// The state of `writeEmbeddedCompact`: where the output stands and the OR
/// of the string bytes passed over. Every method returns `nil` (or `false`)
/// as soon as the text leaves the shape it handles.
private struct EmbeddedTranscoder {
    let scan: JSONValidator
    let embedded: JSONLimits
    let out: UnsafeMutablePointer<UInt8>
    var written = 0
    var seen: UInt64 = 0

    init(scan: JSONValidator, embedded: JSONLimits, out: UnsafeMutablePointer<UInt8>) {
        self.scan = scan
        self.embedded = embedded
        self.out = out
    }

    /// The first byte at or after `start` that is not a space.
    @inline(__always)
    func space(_ start: Int) -> Int {
        var cursor = start
        while cursor < scan.input.count, scan.input[cursor] == 0x20 { cursor += 1 }
        return cursor
    }

    @inline(__always)
    mutating func put(_ byte: UInt8) {
        out[written] = byte
        written += 1
    }

    /// The end of the text's value at `start` (`depth` containers around it).
    mutating func value(at start: Int, depth: Int) -> Int? {
        let input = scan.input
        guard start < input.count else { return nil }
        let open = input[start]
        switch open {
        case UInt8(ascii: "\\"):
            return string(at: start)
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            break
        case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            // Literals and numbers are ASCII and end before any quote or
            // backslash, so they lie inside the string; copied as written.
            guard let end = scan.skipValue(start, depth: depth), let base = input.baseAddress else { return nil }
            (out + written).update(from: base + start, count: end - start)
            written += end - start
            return end
        default:
            return nil
        }
        guard depth < embedded.maxDepth else { return nil }
        let isObject = open == UInt8(ascii: "{")
        let close = isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")
        put(open)
        var cursor = space(start + 1)
        guard cursor < input.count else { return nil }
        if input[cursor] != close {
            while true {
                if isObject {
                    guard cursor < input.count, input[cursor] == UInt8(ascii: "\\"), let key = string(at: cursor) else { return nil }
                    cursor = space(key)
                    guard cursor < input.count, input[cursor] == UInt8(ascii: ":") else { return nil }
                    put(UInt8(ascii: ":"))
                    cursor = space(cursor + 1)
                }
                guard let end = value(at: cursor, depth: depth + 1) else { return nil }
                cursor = space(end)
                guard cursor < input.count else { return nil }
                if input[cursor] == close { break }
                guard input[cursor] == UInt8(ascii: ",") else { return nil }
                put(UInt8(ascii: ","))
                cursor = space(cursor + 1)
            }
        }
        put(close)
        return cursor + 1
    }

    /// The end of the text's string whose opening `\"` starts at `start`; it
    /// must close with `\"` and hold no other stop byte. Written with bare
    /// quotes.
    mutating func string(at start: Int) -> Int? {
        let input = scan.input
        guard start + 1 < input.count, input[start + 1] == UInt8(ascii: "\"") else { return nil }
        put(UInt8(ascii: "\""))
        let contentStart = start + 2
        var cursor = contentStart
        guard scan.copyToStop(from: &cursor, to: out, written: &written, seen: &seen),
            cursor + 1 < input.count, input[cursor] == UInt8(ascii: "\\"), input[cursor + 1] == UInt8(ascii: "\"")
        else { return nil }
        if let maxStringBytes = embedded.maxStringBytes, cursor - contentStart > maxStringBytes { return nil }
        put(UInt8(ascii: "\""))
        return cursor + 2
    }
}
