/// The common scalar logical types written straight into the document, with
/// no intermediate `JSONValue` or `String`: the output is byte for byte what
/// `ValueConverter.apply` produces and `JSONWriter` writes.
///
/// Only the plain shapes are handled here — a Decimal of up to eight bytes,
/// an integer Date, Time or Timestamp, JSON `null` — and only when the value
/// converts without error; `writeScalar` returns `nil` for everything else,
/// and the general converter takes the value (and reports its errors).
extension RowTranscoder {
    /// Writes the converted value at `start`; its end, or `nil` when the
    /// general converter must handle it. Writes nothing when it returns `nil`.
    mutating func writeScalar(_ converter: ValueConverter, from start: Int, into writer: inout JSONWriter) -> Int? {
        let bytes = input.input
        guard start < bytes.count else { return nil }
        if bytes[start] == UInt8(ascii: "n") {
            guard let end = input.skipValue(start, depth: depth) else { return nil }
            writer.writeRaw("null" as StaticString)  // every converter keeps null
            return end
        }
        switch converter {
        case .decimal(let scale):
            guard bytes[start] == UInt8(ascii: "\""), let string = input.skipString(start), !string.escaped,
                scale.magnitude <= ValueConverter.maxScale.magnitude
            else { return nil }
            guard let unscaled = Base64.decodeInteger(utf8: UnsafeBufferPointer(rebasing: bytes[(start + 1)..<(string.end - 1)]))
            else { return nil }
            let quoted = options.decimalFormat == .string
            if quoted { writer.bytes.append(UInt8(ascii: "\"")) }
            Self.appendDecimal(unscaled, scale: scale, to: &writer.bytes)
            if quoted { writer.bytes.append(UInt8(ascii: "\"")) }
            return string.end

        case .date:
            guard let (days, end) = input.integerLiteral(at: start), days.magnitude <= ValueConverter.maxDays.magnitude else { return nil }
            writer.bytes.append(UInt8(ascii: "\""))
            TemporalText.appendDate(CivilCalendar.date(fromDays: days), to: &writer.bytes)
            writer.bytes.append(UInt8(ascii: "\""))
            return end

        case .timestamp(let unit):
            guard let (count, end) = input.integerLiteral(at: start) else { return nil }
            writer.bytes.append(UInt8(ascii: "\""))
            TemporalText.appendTimestamp(count, unit: unit, to: &writer.bytes)
            writer.bytes.append(UInt8(ascii: "\""))
            return end

        case .timeOfDay(let unit):
            guard let (count, end) = input.integerLiteral(at: start), count >= 0, count <= 86_400 * unit.perSecond else { return nil }
            writer.bytes.append(UInt8(ascii: "\""))
            TemporalText.appendTime(count, unit: unit, digits: unit.timeOfDayDigits, to: &writer.bytes)
            writer.bytes.append(UInt8(ascii: "\""))
            return end

        default:
            return nil
        }
    }

    /// Appends `DecimalText.literal` of `unscaled × 10^-scale`.
    static func appendDecimal(_ unscaled: Int64, scale: Int, to out: inout [UInt8]) {
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: room for 20 digits
        let count = withUnsafeMutableBytes(of: &digits) { buffer -> Int in
            var value = unscaled.magnitude
            var index = buffer.count
            repeat {
                index -= 1
                buffer[index] = UInt8(ascii: "0") + UInt8(value % 10)
                value /= 10
            } while value > 0
            return buffer.count - index
        }
        if unscaled < 0 { out.append(UInt8(ascii: "-")) }
        withUnsafeBytes(of: &digits) { buffer in
            let text = UnsafeRawBufferPointer(rebasing: buffer[(buffer.count - count)...])
            if scale <= 0 {
                out.append(contentsOf: text)
                if unscaled != 0 { out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: -scale)) }
            } else if count <= scale {
                out.append(UInt8(ascii: "0"))
                out.append(UInt8(ascii: "."))
                out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: scale - count))
                out.append(contentsOf: text)
            } else {
                out.append(contentsOf: text[..<(text.startIndex + count - scale)])
                out.append(UInt8(ascii: "."))
                out.append(contentsOf: text[(text.startIndex + count - scale)...])
            }
        }
    }
}
