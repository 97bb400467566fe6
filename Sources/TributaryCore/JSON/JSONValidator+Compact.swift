extension JSONValidator {
    /// Validates the value at `start` and writes it compactly: exactly the
    /// bytes `JSONWriter.write` produces for `JSONParser`'s parse of it
    /// (whitespace dropped, strings with escapes rewritten minimally, numbers
    /// and literals as written), without building the value.
    ///
    /// The output is the input minus whitespace outside strings, with escaped
    /// strings rewritten, so it is copied in runs: text that is already
    /// compact goes out in one copy.
    ///
    /// Returns the value's end, or `nil` when it is not valid; then `writer`
    /// holds a partial value and the caller must roll it back. `scratch`
    /// holds decoded strings (its contents are not preserved).
    func writeCompact(_ start: Int, depth: Int, into writer: inout JSONWriter, scratch: inout [UInt8]) -> Int? {
        var pending = start
        guard let end = compactValue(start, depth: depth, pending: &pending, into: &writer, scratch: &scratch) else { return nil }
        flush(pending..<end, into: &writer)
        return end
    }

    /// Validates the value at `start`, writing only where the output departs
    /// from the input; `pending` is the first input byte not yet written
    /// whose copy is still due (the caller flushes the last run).
    func compactValue(
        _ start: Int, depth: Int, pending: inout Int, into writer: inout JSONWriter, scratch: inout [UInt8]
    ) -> Int? {
        guard start < input.count else { return nil }
        let isObject: Bool
        switch input[start] {
        case UInt8(ascii: "\""):
            return compactString(start, pending: &pending, into: &writer, scratch: &scratch)
        case UInt8(ascii: "{"): isObject = true
        case UInt8(ascii: "["): isObject = false
        default:
            return skipValue(start, depth: depth)
        }
        guard depth < limits.maxDepth else { return nil }
        let close = isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")
        var cursor = dropSpace(start + 1, pending: &pending, into: &writer)
        guard cursor < input.count else { return nil }
        if input[cursor] == close { return cursor + 1 }
        while true {
            if isObject {
                guard cursor < input.count, input[cursor] == UInt8(ascii: "\""),
                    let key = compactString(cursor, pending: &pending, into: &writer, scratch: &scratch)
                else { return nil }
                cursor = dropSpace(key, pending: &pending, into: &writer)
                guard cursor < input.count, input[cursor] == UInt8(ascii: ":") else { return nil }
                cursor = dropSpace(cursor + 1, pending: &pending, into: &writer)
            }
            guard let end = compactValue(cursor, depth: depth + 1, pending: &pending, into: &writer, scratch: &scratch) else {
                return nil
            }
            cursor = dropSpace(end, pending: &pending, into: &writer)
            guard cursor < input.count else { return nil }
            if input[cursor] == close { return cursor + 1 }
            guard input[cursor] == UInt8(ascii: ",") else { return nil }
            cursor = dropSpace(cursor + 1, pending: &pending, into: &writer)
        }
    }

    /// The end of the valid string at `start`; an escaped one is written
    /// rewritten (after the run before it), a plain one stays in the run.
    @inline(__always)
    private func compactString(_ start: Int, pending: inout Int, into writer: inout JSONWriter, scratch: inout [UInt8]) -> Int? {
        guard let string = skipString(start) else { return nil }
        if string.escaped {
            flush(pending..<start, into: &writer)
            writeString(start..<string.end, escaped: true, into: &writer, scratch: &scratch)
            pending = string.end
        }
        return string.end
    }

    /// Skips whitespace at `start`; when there is some, the run before it is
    /// written and the next run starts after it.
    @inline(__always)
    func dropSpace(_ start: Int, pending: inout Int, into writer: inout JSONWriter) -> Int {
        let next = skipSpace(start)
        if next != start {
            flush(pending..<start, into: &writer)
            pending = next
        }
        return next
    }

    /// Writes the input bytes of `run` (a run of unchanged output).
    @inline(__always)
    func flush(_ run: Range<Int>, into writer: inout JSONWriter) {
        guard !run.isEmpty else { return }
        writer.bytes.append(contentsOf: UnsafeBufferPointer(rebasing: input[run]))
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
            run = appendEscape(at: stop, to: &out)
        }
    }

    /// Validates the string at `start` exactly as `skipString` does and
    /// appends its decoded content to `out` in the same pass. Returns the
    /// offset after its closing quote, or `nil` when it is not valid (then
    /// `out` is unchanged).
    func decodeString(validating start: Int, into out: inout [UInt8]) -> Int? {
        var end: Int?
        let decoded = [UInt8](unsafeUninitializedCapacity: input.count - start) { buffer, count in
            guard let base = buffer.baseAddress, let result = decodeString(validating: start, to: base) else {
                count = 0
                return
            }
            end = result.end
            count = result.count
        }
        guard let end else { return nil }
        out.append(contentsOf: decoded)
        return end
    }

    /// `decodeString(validating:into:)` writing to memory the caller owns,
    /// which must have room for `input.count - start` bytes (a string's
    /// decoded content is never longer than its JSON text). Returns the offset
    /// after the closing quote and the number of bytes written, or `nil` when
    /// the string is not valid.
    ///
    /// Copies while it scans (`copyToStop`); the output never runs ahead of
    /// the input, so every store stays inside the room asked for. A Json
    /// column's text is mostly short runs between escaped quotes, so `\"`,
    /// `\\` and `\/` are handled in the loop; other escapes go through
    /// `skipEscape` and `writeEscape`.
    func decodeString(validating start: Int, to out: UnsafeMutablePointer<UInt8>) -> (end: Int, count: Int)? {
        guard let source = input.baseAddress else { return nil }
        let contentStart = start + 1
        let count = input.count
        var seen: UInt64 = 0
        var cursor = contentStart
        var written = 0
        while true {
            guard copyToStop(from: &cursor, to: out, written: &written, seen: &seen) else { return nil }
            switch source[cursor] {
            case UInt8(ascii: "\""):
                if let maxStringBytes = limits.maxStringBytes, cursor - contentStart > maxStringBytes { return nil }
                if seen & 0x8080_8080_8080_8080 != 0, UTF8Bytes.firstInvalid(in: input, contentStart..<cursor) != nil {
                    return nil
                }
                return (cursor + 1, written)
            case UInt8(ascii: "\\"):
                guard cursor + 1 < count else { return nil }
                let code = source[cursor + 1]
                if code == UInt8(ascii: "\"") || code == UInt8(ascii: "\\") || code == UInt8(ascii: "/") {
                    out[written] = code
                    written += 1
                    cursor += 2
                } else {
                    guard skipEscape(cursor) != nil else { return nil }
                    cursor = writeEscape(at: cursor, to: out, written: &written)
                }
            default:
                return nil  // a control byte
            }
        }
    }

    /// Copies string content from `cursor` to `out + written` up to the next
    /// stop byte (`"`, `\` or a control byte; see `JSONStringScan`), leaving
    /// `cursor` on it; `seen` collects the OR of the bytes passed over.
    /// Returns `false` when the input ends first.
    ///
    /// Copies while it scans: each 16-byte block (or 8-byte word) is stored
    /// to `out + written` as it is tested, and only the bytes before the stop
    /// count as written. A block is stored only while 16 input bytes remain
    /// (a word while 8 do), so a caller whose output never runs ahead of its
    /// input (`written` no larger than `cursor` minus a fixed start) and whose
    /// room reaches as far past that start as the input does never has a
    /// store land outside the room.
    @inline(__always)
    func copyToStop(from cursor: inout Int, to out: UnsafeMutablePointer<UInt8>, written: inout Int, seen: inout UInt64) -> Bool {
        guard let source = input.baseAddress else { return false }
        let count = input.count
        #if _endian(little)
        while cursor + 16 <= count {
            let block = UnsafeRawPointer(source + cursor).loadUnaligned(as: SIMD16<UInt8>.self)
            UnsafeMutableRawPointer(out + written).storeBytes(of: block, as: SIMD16<UInt8>.self)
            let stop = JSONStringScan.firstStop(in: block, seen: &seen)
            cursor += stop
            written += stop
            if stop < 16 { return true }
        }
        #endif
        while cursor + 8 <= count {
            let word = UInt64(littleEndian: UnsafeRawPointer(source + cursor).loadUnaligned(as: UInt64.self))
            UnsafeMutableRawPointer(out + written).storeBytes(of: word.littleEndian, as: UInt64.self)
            let stops = JSONStringScan.stopMask(word)
            if stops != 0 {
                let stop = stops.trailingZeroBitCount >> 3
                seen |= word & ((1 << (UInt64(truncatingIfNeeded: stop) << 3)) &- 1)
                cursor += stop
                written += stop
                return true
            }
            seen |= word
            cursor += 8
            written += 8
        }
        while cursor < count {
            let byte = source[cursor]
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 { return true }
            seen |= UInt64(byte)
            out[written] = byte
            cursor += 1
            written += 1
        }
        return false
    }

    /// Writes what the complete, valid escape at `backslash` stands for at
    /// `out + written` (at most 4 bytes, never more than the escape's own
    /// length); returns the offset after it.
    @inline(__always)
    private func writeEscape(at backslash: Int, to out: UnsafeMutablePointer<UInt8>, written: inout Int) -> Int {
        func put(_ byte: UInt8) {
            out[written] = byte
            written += 1
        }
        switch input[backslash + 1] {
        case UInt8(ascii: "b"): put(0x08)
        case UInt8(ascii: "f"): put(0x0C)
        case UInt8(ascii: "n"): put(0x0A)
        case UInt8(ascii: "r"): put(0x0D)
        case UInt8(ascii: "t"): put(0x09)
        case UInt8(ascii: "u"):
            var scalar = UInt32(hex4(backslash + 2) ?? 0)
            var after = backslash + 6
            if (0xD800...0xDBFF).contains(scalar) {
                let low = UInt32(hex4(backslash + 8) ?? 0xDC00)
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                after = backslash + 12
            }
            written += UTF8Bytes.write(scalar: scalar, to: out + written)
            return after
        default: put(input[backslash + 1])  // `"`, `\` or `/`
        }
        return backslash + 2
    }

    /// Appends what the complete, valid escape at `backslash` stands for;
    /// returns the offset after it.
    @inline(__always)
    private func appendEscape(at backslash: Int, to out: inout [UInt8]) -> Int {
        switch input[backslash + 1] {
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "u"):
            let unit = UInt32(hex4(backslash + 2) ?? 0)
            if (0xD800...0xDBFF).contains(unit) {
                let low = UInt32(hex4(backslash + 8) ?? 0xDC00)
                UTF8Bytes.append(scalar: 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00), to: &out)
                return backslash + 12
            }
            UTF8Bytes.append(scalar: unit, to: &out)
            return backslash + 6
        default: out.append(input[backslash + 1])  // `"`, `\` or `/`
        }
        return backslash + 2
    }
}
