/// Block- and word-at-a-time scanning of string content, shared by the
/// parser, the validator and the writer.
enum JSONStringScan {
    /// A mask whose lowest set bit lies in the first byte of `word` (bytes in
    /// little-endian order) that is `"`, `\` or below 0x20: the bytes that end
    /// a run of string content. Zero when `word` has none.
    ///
    /// The classic SWAR tests: `(x - 0x01…) & ~x & 0x80…` flags zero bytes and
    /// `(x - 0x20…) & ~x & 0x80…` bytes below 0x20. A borrow can flag a byte
    /// above a true hit but never below one, so the lowest flag is exact.
    @inline(__always)
    static func stopMask(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let quotes = word ^ (ones &* 0x22)
        let backslashes = word ^ (ones &* 0x5C)
        let hasQuote = (quotes &- ones) & ~quotes
        let hasBackslash = (backslashes &- ones) & ~backslashes
        let hasControl = (word &- ones &* 0x20) & ~word
        return (hasQuote | hasBackslash | hasControl) & 0x8080_8080_8080_8080
    }

    /// The index (0–15) of the first stop byte (see `stopMask`) in `block`,
    /// or 16 when it has none; `seen` collects the OR of the bytes before it.
    ///
    /// Three vector compares mark the stops (SSE2 on x86-64); the mask is
    /// read as two words whose lowest set bit is the first stop. About 25
    /// instructions per 16 bytes, where the word test costs about 30 per 8.
    @inline(__always)
    static func firstStop(in block: SIMD16<UInt8>, seen: inout UInt64) -> Int {
        // Spelled with the element type: `SIMD16(repeating:)` picks the
        // generic, lane-by-lane operators.
        let marked =
            (block .== SIMD16<UInt8>(repeating: 0x22)) .| (block .== SIMD16<UInt8>(repeating: 0x5C))
            .| (block .< SIMD16<UInt8>(repeating: 0x20))
        let stops = unsafeBitCast(marked, to: SIMD2<UInt64>.self)
        let words = unsafeBitCast(block, to: SIMD2<UInt64>.self)
        if stops.x != 0 {
            let bit = stops.x.trailingZeroBitCount
            seen |= words.x & ((1 << UInt64(truncatingIfNeeded: bit)) &- 1)
            return bit >> 3
        }
        if stops.y != 0 {
            let bit = stops.y.trailingZeroBitCount
            seen |= words.x | (words.y & ((1 << UInt64(truncatingIfNeeded: bit)) &- 1))
            return 8 + bit >> 3
        }
        seen |= words.x | words.y
        return 16
    }

    /// The offset of the first stop byte (see `stopMask`) in `bytes[start...]`,
    /// or `bytes.count` when there is none; `seen` collects the OR of the
    /// bytes passed over (folded into one word), so its high bits tell
    /// whether any was non-ASCII.
    ///
    /// 16 bytes at a time while 16 remain, then a word, then byte by byte
    /// (on big-endian machines, words only).
    @inline(__always)
    static func firstStop(in bytes: UnsafeBufferPointer<UInt8>, from start: Int, seen: inout UInt64) -> Int {
        var cursor = start
        let end = bytes.count
        if let base = bytes.baseAddress {
            #if _endian(little)  // `firstStop(in: block)` reads lanes as little-endian words
            while cursor + 16 <= end {
                let stop = firstStop(in: UnsafeRawPointer(base + cursor).loadUnaligned(as: SIMD16<UInt8>.self), seen: &seen)
                if stop < 16 { return cursor + stop }
                cursor += 16
            }
            #endif
            if cursor + 8 <= end {
                let word = UInt64(littleEndian: UnsafeRawPointer(base + cursor).loadUnaligned(as: UInt64.self))
                let stops = stopMask(word)
                if stops != 0 {
                    let stop = stops.trailingZeroBitCount >> 3
                    seen |= word & ((1 << (UInt64(truncatingIfNeeded: stop) << 3)) &- 1)
                    return cursor + stop
                }
                seen |= word
                cursor += 8
            }
        }
        while cursor < end {
            let byte = bytes[cursor]
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 { return cursor }
            seen |= UInt64(byte)
            cursor += 1
        }
        return end
    }

    /// The value of a hex digit (`0-9`, `a-f`, `A-F`), or `nil`.
    @inline(__always)
    static func hexDigit(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
