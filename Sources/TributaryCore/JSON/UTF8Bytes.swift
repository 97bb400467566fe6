/// UTF-8 at the byte level, shared by the parser, the validator and the
/// compact writer: checking well-formedness (Unicode Table 3-7) and encoding.
enum UTF8Bytes {
    /// The offset where the first ill-formed UTF-8 sequence in `input[range]`
    /// starts, or `nil` when the bytes are well-formed.
    static func firstInvalid(in input: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int? {
        var cursor = range.lowerBound
        while cursor < range.upperBound {
            let lead = input[cursor]
            if lead < 0x80 {
                cursor += 1
                continue
            }
            let length: Int
            var secondRange: ClosedRange<UInt8> = 0x80...0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; secondRange = 0xA0...0xBF
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; secondRange = 0x80...0x9F
            case 0xF0: length = 4; secondRange = 0x90...0xBF
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; secondRange = 0x80...0x8F
            default: return cursor
            }
            guard cursor + length <= range.upperBound, secondRange.contains(input[cursor + 1]) else { return cursor }
            for continuation in (cursor + 2)..<(cursor + length) where input[continuation] & 0xC0 != 0x80 {
                return cursor
            }
            cursor += length
        }
        return nil
    }

    /// Writes the UTF-8 encoding of a scalar value (never a surrogate) at
    /// `out`, which has room for 4 bytes; returns how many it wrote.
    @inline(__always)
    static func write(scalar: UInt32, to out: UnsafeMutablePointer<UInt8>) -> Int {
        switch scalar {
        case 0..<0x80:
            out[0] = UInt8(scalar)
            return 1
        case 0x80..<0x800:
            out[0] = 0xC0 | UInt8(scalar >> 6)
            out[1] = 0x80 | UInt8(scalar & 0x3F)
            return 2
        case 0x800..<0x10000:
            out[0] = 0xE0 | UInt8(scalar >> 12)
            out[1] = 0x80 | UInt8(scalar >> 6 & 0x3F)
            out[2] = 0x80 | UInt8(scalar & 0x3F)
            return 3
        default:
            out[0] = 0xF0 | UInt8(scalar >> 18)
            out[1] = 0x80 | UInt8(scalar >> 12 & 0x3F)
            out[2] = 0x80 | UInt8(scalar >> 6 & 0x3F)
            out[3] = 0x80 | UInt8(scalar & 0x3F)
            return 4
        }
    }

    /// Appends the UTF-8 encoding of a scalar value (never a surrogate).
    static func append(scalar: UInt32, to out: inout [UInt8]) {
        switch scalar {
        case 0..<0x80:
            out.append(UInt8(scalar))
        case 0x80..<0x800:
            out.append(0xC0 | UInt8(scalar >> 6))
            out.append(0x80 | UInt8(scalar & 0x3F))
        case 0x800..<0x10000:
            out.append(0xE0 | UInt8(scalar >> 12))
            out.append(0x80 | UInt8(scalar >> 6 & 0x3F))
            out.append(0x80 | UInt8(scalar & 0x3F))
        default:
            out.append(0xF0 | UInt8(scalar >> 18))
            out.append(0x80 | UInt8(scalar >> 12 & 0x3F))
            out.append(0x80 | UInt8(scalar >> 6 & 0x3F))
            out.append(0x80 | UInt8(scalar & 0x3F))
        }
    }
}
