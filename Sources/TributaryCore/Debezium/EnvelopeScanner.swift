/// Finds the top-level `schema` and `payload` members of a JsonConverter
/// wrapper (`{"schema":…,"payload":…}`) without building any value.
///
/// The scan only locates value boundaries (strings, nesting); it does not
/// validate. Callers must either parse the located bytes with `JSONParser`
/// or compare them with bytes that were parsed before, and must fall back
/// to a full parse when the scan gives up (`nil`): any unusual shape —
/// other members, escapes in keys, trailing bytes — takes the slow path,
/// which also reports malformed input precisely.
enum EnvelopeScanner {
    struct Wrapper {
        var schema: Range<Int>
        var payload: Range<Int>
    }

    static func scanWrapper(_ bytes: UnsafeRawBufferPointer) -> Wrapper? {
        var i = skipSpace(bytes, 0)
        guard i < bytes.count, bytes[i] == UInt8(ascii: "{") else { return nil }
        i += 1
        var schema: Range<Int>?
        var payload: Range<Int>?
        while true {
            i = skipSpace(bytes, i)
            guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { return nil }
            let keyStart = i + 1
            var keyEnd = keyStart
            while keyEnd < bytes.count && bytes[keyEnd] != UInt8(ascii: "\"") {
                if bytes[keyEnd] == UInt8(ascii: "\\") { return nil }
                keyEnd += 1
            }
            guard keyEnd < bytes.count else { return nil }
            let key = UnsafeRawBufferPointer(rebasing: bytes[keyStart..<keyEnd])
            i = skipSpace(bytes, keyEnd + 1)
            guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { return nil }
            let valueStart = skipSpace(bytes, i + 1)
            guard let valueEnd = skipValue(bytes, valueStart) else { return nil }
            if key.elementsEqual("schema".utf8) {
                guard schema == nil else { return nil }
                schema = valueStart..<valueEnd
            } else if key.elementsEqual("payload".utf8) {
                guard payload == nil else { return nil }
                payload = valueStart..<valueEnd
            } else {
                return nil
            }
            i = skipSpace(bytes, valueEnd)
            guard i < bytes.count else { return nil }
            if bytes[i] == UInt8(ascii: ",") {
                i += 1
                continue
            }
            guard bytes[i] == UInt8(ascii: "}") else { return nil }
            guard skipSpace(bytes, i + 1) == bytes.count, let schema, let payload else { return nil }
            return Wrapper(schema: schema, payload: payload)
        }
    }

    @inline(__always)
    static func isSpace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\t")
    }

    @inline(__always)
    static func skipSpace(_ bytes: UnsafeRawBufferPointer, _ start: Int) -> Int {
        var i = start
        while i < bytes.count {
            switch bytes[i] {
            case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"): i += 1
            default: return i
            }
        }
        return i
    }

    /// The end of the value starting at `start`, or `nil` if the bytes end first.
    static func skipValue(_ bytes: UnsafeRawBufferPointer, _ start: Int) -> Int? {
        guard start < bytes.count else { return nil }
        var i = start
        switch bytes[i] {
        case UInt8(ascii: "\""):
            return skipString(bytes, i)
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            var depth = 0
            while i < bytes.count {
                switch bytes[i] {
                case UInt8(ascii: "\""):
                    guard let end = skipString(bytes, i) else { return nil }
                    i = end
                    continue
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    depth += 1
                    if depth > 512 { return nil }
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    if depth == 0 { return i + 1 }
                default:
                    break
                }
                i += 1
            }
            return nil
        default:
            while i < bytes.count {
                switch bytes[i] {
                case UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), UInt8(ascii: " "), UInt8(ascii: "\n"),
                    UInt8(ascii: "\r"), UInt8(ascii: "\t"):
                    return i == start ? nil : i
                default:
                    i += 1
                }
            }
            return i == start ? nil : i
        }
    }

    /// The index after the closing quote of the string opening at `start`.
    @inline(__always)
    static func skipString(_ bytes: UnsafeRawBufferPointer, _ start: Int) -> Int? {
        var i = start + 1
        let count = bytes.count
        while i < count {
            if i + 8 <= count {
                // Eight bytes at a time to the next quote, backslash or control byte.
                let stops = JSONStringScan.stopMask(UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self)))
                if stops == 0 {
                    i += 8
                    continue
                }
                i += stops.trailingZeroBitCount >> 3
            }
            let byte = bytes[i]
            if byte == UInt8(ascii: "\"") { return i + 1 }
            i += byte == UInt8(ascii: "\\") ? 2 : 1
        }
        return nil
    }
}
