/// Exact decimal text of Kafka Connect `Decimal` and Debezium
/// `VariableScaleDecimal` values, with no floating point anywhere.
///
/// The unscaled value is a big-endian two's-complement integer of any length;
/// the value is `unscaled × 10^-scale`. The result is a valid JSON number
/// literal that keeps the scale's trailing zeros (`"AdTA"`, scale 2 →
/// `1200.00`), so OpenSearch receives exactly what the database holds.
public enum DecimalText {
    /// The decimal digits (no sign) of the magnitude of a two's-complement
    /// big-endian integer, and whether it is negative. Empty bytes are zero.
    public static func unscaledDigits(twosComplement bytes: [UInt8]) -> (negative: Bool, digits: String) {
        guard let first = bytes.first else { return (false, "0") }
        let negative = first & 0x80 != 0
        var magnitude = bytes
        if negative {
            // Two's complement negation: invert every byte, then add one.
            var carry = true
            for index in magnitude.indices.reversed() {
                magnitude[index] = ~magnitude[index]
                if carry {
                    let (sum, overflow) = magnitude[index].addingReportingOverflow(1)
                    magnitude[index] = sum
                    carry = overflow
                }
            }
        }
        return (negative, decimalDigits(bigEndianMagnitude: magnitude))
    }

    /// The base-10 digits of an unsigned big-endian integer (no leading zeros; `"0"` for zero).
    public static func decimalDigits(bigEndianMagnitude bytes: [UInt8]) -> String {
        // Limbs of 32 bits, most significant first; repeatedly divide by 10^9.
        var limbs: [UInt32] = []
        limbs.reserveCapacity(bytes.count / 4 + 1)
        var leading = bytes.count % 4
        var index = 0
        if leading == 0 { leading = 4 }
        while index < bytes.count {
            var limb: UInt32 = 0
            for _ in 0..<leading where index < bytes.count {
                limb = (limb << 8) | UInt32(bytes[index])
                index += 1
            }
            limbs.append(limb)
            leading = 4
        }
        while let first = limbs.first, first == 0 { limbs.removeFirst() }
        if limbs.isEmpty { return "0" }

        var chunks: [UInt32] = []  // base 10^9, least significant first
        while !limbs.isEmpty {
            var remainder: UInt64 = 0
            for position in limbs.indices {
                let current = (remainder << 32) | UInt64(limbs[position])
                limbs[position] = UInt32(current / 1_000_000_000)
                remainder = current % 1_000_000_000
            }
            chunks.append(UInt32(remainder))
            while let first = limbs.first, first == 0 { limbs.removeFirst() }
        }
        var text = String(chunks[chunks.count - 1])
        for chunk in chunks.dropLast().reversed() {
            let part = String(chunk)
            text += String(repeating: "0", count: 9 - part.count) + part
        }
        return text
    }

    /// `sign digits × 10^-scale` as a JSON number literal. A negative scale
    /// appends zeros (`12`, scale -2 → `1200`).
    public static func literal(negative: Bool, digits: String, scale: Int) -> String {
        let isZero = digits.utf8.allSatisfy { $0 == UInt8(ascii: "0") }
        var text = negative && !isZero ? "-" : ""
        if scale <= 0 {
            text += digits
            if !isZero { text += String(repeating: "0", count: -scale) }
            return text
        }
        let count = digits.utf8.count
        if count <= scale {
            text += "0." + String(repeating: "0", count: scale - count) + digits
        } else {
            let split = digits.index(digits.startIndex, offsetBy: count - scale)
            text += digits[..<split] + "." + digits[split...]
        }
        return text
    }

    /// The JSON number literal of a two's-complement unscaled value at `scale`.
    public static func literal(twosComplement bytes: [UInt8], scale: Int) -> String {
        let (negative, digits) = unscaledDigits(twosComplement: bytes)
        return literal(negative: negative, digits: digits, scale: scale)
    }
}
