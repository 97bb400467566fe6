/// Standard base64 (RFC 4648 §4), as Kafka Connect's JsonConverter writes
/// `bytes` values.
///
/// Decoding accepts the standard alphabet with or without `=` padding and
/// rejects anything else (whitespace, the URL-safe alphabet, bad padding).
public enum Base64 {
    private static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// Maps an ASCII byte to its 6-bit value, or 0xFF when it is not in the alphabet.
    private static let table: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (value, byte) in alphabet.enumerated() { table[Int(byte)] = UInt8(value) }
        return table
    }()

    /// The bytes `text` encodes, or `nil` when it is not valid base64.
    public static func decode(_ text: String) -> [UInt8]? {
        var out: [UInt8] = []
        var text = text
        let valid = text.withUTF8 { decode(utf8: $0, into: &out) }
        return valid ? out : nil
    }

    /// Appends the bytes the base64 text `utf8` encodes to `out`; `false`
    /// (with `out` in an unspecified state) when it is not valid base64.
    static func decode(utf8: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) -> Bool {
        guard let count = unpaddedCount(utf8) else { return false }
        out.reserveCapacity(out.count + count * 3 / 4)
        return forEachByte(of: UnsafeBufferPointer(rebasing: utf8[..<count])) { out.append($0) }
    }

    /// The big-endian two's-complement integer the base64 text `utf8`
    /// encodes (a Kafka Connect Decimal's unscaled value), or `nil` when the
    /// text is not valid base64 (as `decode(utf8:into:)` judges it) or
    /// encodes more than 8 bytes. No bytes decode to 0.
    ///
    /// Equal to decoding and then sign-extending from the first byte, with
    /// no buffer: the streaming route's decimals take this.
    static func decodeInteger(utf8: UnsafeBufferPointer<UInt8>) -> Int64? {
        // 8 bytes take at most 11 characters (a 12th would start a 9th byte).
        guard let count = unpaddedCount(utf8), count * 6 / 8 <= 8 else { return nil }
        var value: Int64 = 0
        var first = true
        let valid = forEachByte(of: UnsafeBufferPointer(rebasing: utf8[..<count])) { byte in
            // Sign-extend from the first byte, then shift the rest in.
            value = first ? Int64(Int8(bitPattern: byte)) : value << 8 | Int64(byte)
            first = false
        }
        return valid ? value : nil
    }

    /// How many characters of `utf8` come before its `=` padding, or `nil`
    /// when the padding (or the length) cannot be base64's.
    private static func unpaddedCount(_ utf8: UnsafeBufferPointer<UInt8>) -> Int? {
        var count = utf8.count
        var padding = 0
        while count > 0, utf8[count - 1] == UInt8(ascii: "=") {
            count -= 1
            padding += 1
        }
        guard padding <= 2, padding == 0 || (count + padding) % 4 == 0, count % 4 != 1 else { return nil }
        return count
    }

    /// Calls `body` with each byte the unpadded base64 `text` encodes;
    /// `false` at the first character outside the alphabet. Leftover bits of
    /// a short last quantum are ignored, as Java's decoder does.
    @inline(__always)
    private static func forEachByte(of text: UnsafeBufferPointer<UInt8>, _ body: (UInt8) -> Void) -> Bool {
        var accumulator: UInt32 = 0
        var bits = 0
        for byte in text {
            let value = table[Int(byte)]
            guard value != 0xFF else { return false }
            accumulator = (accumulator << 6) | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                body(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
            }
        }
        return true
    }

    /// The padded base64 text of `bytes`.
    public static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index < bytes.count {
            let b0 = UInt32(bytes[index])
            let b1 = index + 1 < bytes.count ? UInt32(bytes[index + 1]) : 0
            let b2 = index + 2 < bytes.count ? UInt32(bytes[index + 2]) : 0
            let triple = (b0 << 16) | (b1 << 8) | b2
            out.append(alphabet[Int((triple >> 18) & 63)])
            out.append(alphabet[Int((triple >> 12) & 63)])
            out.append(index + 1 < bytes.count ? alphabet[Int((triple >> 6) & 63)] : UInt8(ascii: "="))
            out.append(index + 2 < bytes.count ? alphabet[Int(triple & 63)] : UInt8(ascii: "="))
            index += 3
        }
        return String(decoding: out, as: UTF8.self)
    }
}
