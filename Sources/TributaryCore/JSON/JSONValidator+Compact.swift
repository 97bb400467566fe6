extension JSONValidator {
    /// Validates the value at `start` and writes it compactly: exactly the
    /// bytes `JSONWriter.write` produces for `JSONParser`'s parse of it
    /// (whitespace dropped, strings with escapes rewritten minimally, numbers
    /// and literals as written), without building the value.
    ///
    /// Returns the value's end, or `nil` when it is not valid; then `writer`
    /// holds a partial value and the caller must roll it back. `scratch`
    /// holds decoded strings (its contents are not preserved).
    func writeCompact(_ start: Int, depth: Int, into writer: inout JSONWriter, scratch: inout [UInt8]) -> Int? {
        guard start < input.count else { return nil }
        let isObject: Bool
        switch input[start] {
        case UInt8(ascii: "\""):
            guard let string = skipString(start) else { return nil }
            writeString(start..<string.end, escaped: string.escaped, into: &writer, scratch: &scratch)
            return string.end
        case UInt8(ascii: "{"): isObject = true
        case UInt8(ascii: "["): isObject = false
        default:
            guard let end = skipValue(start, depth: depth) else { return nil }
            writer.bytes.append(contentsOf: UnsafeBufferPointer(rebasing: input[start..<end]))
            return end
        }
        guard depth < limits.maxDepth else { return nil }
        let close = isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")
        writer.bytes.append(input[start])
        var cursor = skipSpace(start + 1)
        guard cursor < input.count else { return nil }
        if input[cursor] == close {
            writer.bytes.append(close)
            return cursor + 1
        }
        while true {
            if isObject {
                guard cursor < input.count, input[cursor] == UInt8(ascii: "\""), let key = skipString(cursor) else { return nil }
                writeString(cursor..<key.end, escaped: key.escaped, into: &writer, scratch: &scratch)
                cursor = skipSpace(key.end)
                guard cursor < input.count, input[cursor] == UInt8(ascii: ":") else { return nil }
                writer.bytes.append(UInt8(ascii: ":"))
                cursor = skipSpace(cursor + 1)
            }
            guard let end = writeCompact(cursor, depth: depth + 1, into: &writer, scratch: &scratch) else { return nil }
            cursor = skipSpace(end)
            guard cursor < input.count else { return nil }
            if input[cursor] == close {
                writer.bytes.append(close)
                return cursor + 1
            }
            guard input[cursor] == UInt8(ascii: ",") else { return nil }
            writer.bytes.append(UInt8(ascii: ","))
            cursor = skipSpace(cursor + 1)
        }
    }

    /// Writes the valid string at `range` (quotes included) as `JSONWriter`
    /// writes its decoded text: copied when it has no escapes.
    func writeString(_ range: Range<Int>, escaped: Bool, into writer: inout JSONWriter, scratch: inout [UInt8]) {
        guard escaped else {
            writer.bytes.append(contentsOf: UnsafeBufferPointer(rebasing: input[range]))
            return
        }
        scratch.removeAll(keepingCapacity: true)
        decodeString(range, into: &scratch)
        scratch.withUnsafeBufferPointer { writer.writeString(utf8: $0) }
    }

    /// Appends the decoded content of the valid string at `range` (quotes
    /// included) to `out`: escapes replaced by the UTF-8 they stand for.
    func decodeString(_ range: Range<Int>, into out: inout [UInt8]) {
        var seen: UInt64 = 0
        var run = range.lowerBound + 1
        let end = range.upperBound - 1
        while true {
            let stop = min(JSONStringScan.firstStop(in: input, from: run, seen: &seen), end)
            out.append(contentsOf: UnsafeBufferPointer(rebasing: input[run..<stop]))
            guard stop < end else { return }
            // A backslash: the string is valid, so the escape is complete.
            switch input[stop + 1] {
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                let unit = UInt32(hex4(stop + 2) ?? 0)
                if (0xD800...0xDBFF).contains(unit) {
                    let low = UInt32(hex4(stop + 8) ?? 0xDC00)
                    UTF8Bytes.append(scalar: 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00), to: &out)
                    run = stop + 12
                } else {
                    UTF8Bytes.append(scalar: unit, to: &out)
                    run = stop + 6
                }
                continue
            default: out.append(input[stop + 1])  // `"`, `\` or `/`
            }
            run = stop + 2
        }
    }
}
