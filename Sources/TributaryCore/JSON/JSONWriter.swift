/// Appends compact JSON text (no insignificant whitespace) to a byte buffer.
///
/// Strings are escaped minimally: `"` and `\` are backslash-escaped, control
/// bytes below 0x20 become `\b \f \n \r \t` or `\u00xx`, and everything else,
/// non-ASCII UTF-8 included, is copied as is. Numbers are written as their
/// literal text, so what `JSONParser` read is written back unchanged.
///
/// `write(_:)` recurses once per nesting level; values from `JSONParser` are
/// bounded by `JSONLimits.maxDepth`.
public struct JSONWriter: Sendable {
    /// The JSON text written so far.
    public var bytes: [UInt8]

    /// An empty writer whose buffer has room for `capacity` bytes.
    public init(capacity: Int = 256) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// The compact JSON text of `value`.
    public static func encode(_ value: JSONValue) -> [UInt8] {
        var writer = JSONWriter()
        writer.write(value)
        return writer.bytes
    }

    /// Appends `value` as compact JSON.
    public mutating func write(_ value: JSONValue) {
        switch value {
        case .null:
            writeRaw("null" as StaticString)
        case .bool(let flag):
            writeRaw(flag ? "true" as StaticString : "false")
        case .number(let number):
            writeRaw(number.text)
        case .string(let string):
            writeString(string)
        case .array(let elements):
            bytes.append(UInt8(ascii: "["))
            for position in elements.indices {
                if position > 0 { bytes.append(UInt8(ascii: ",")) }
                write(elements[position])
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let object):
            bytes.append(UInt8(ascii: "{"))
            let members = object.members
            for position in members.indices {
                if position > 0 { bytes.append(UInt8(ascii: ",")) }
                writeString(members[position].key)
                bytes.append(UInt8(ascii: ":"))
                write(members[position].value)
            }
            bytes.append(UInt8(ascii: "}"))
        }
    }

    /// Appends `string` as a quoted, escaped JSON string.
    public mutating func writeString(_ string: String) {
        if string.utf8.withContiguousStorageIfAvailable({ utf8 in appendQuoted(utf8) }) == nil {
            var string = string  // not contiguous yet: withUTF8 makes it so
            string.withUTF8 { utf8 in appendQuoted(utf8) }
        }
    }

    /// Appends well-formed UTF-8 text as a quoted, escaped JSON string.
    mutating func writeString(utf8: UnsafeBufferPointer<UInt8>) {
        appendQuoted(utf8)
    }

    /// Appends `text` unchanged; the caller guarantees it is valid in context.
    public mutating func writeRaw(_ text: StaticString) {
        // withUTF8Buffer, not utf8Start: a one-scalar literal has no pointer.
        text.withUTF8Buffer { utf8 in bytes.append(contentsOf: utf8) }
    }

    /// Appends the UTF-8 of `text` unchanged; the caller guarantees it is valid in context.
    /// Disfavoured so that a literal argument takes the `StaticString`
    /// overload, which copies without going through a `String`.
    @_disfavoredOverload
    public mutating func writeRaw(_ text: String) {
        var text = text
        text.withUTF8 { utf8 in bytes.append(contentsOf: utf8) }
    }

    /// Appends the decimal text of `value` (what `String(value)` spells),
    /// without building a `String`.
    public mutating func writeInteger(_ value: Int64) {
        var magnitude = value.magnitude
        // 20 digits hold any UInt64; written from the end.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var start = digits.count
            repeat {
                start -= 1
                digits[start] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: magnitude % 10)
                magnitude /= 10
            } while magnitude != 0
            if value < 0 { bytes.append(UInt8(ascii: "-")) }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: digits[start...]))
        }
    }

    /// Appends `raw` unchanged; the caller guarantees it is valid in context.
    public mutating func writeRaw(_ raw: [UInt8]) {
        bytes.append(contentsOf: raw)
    }

    /// Appends `raw` unchanged; the caller guarantees it is valid in context.
    public mutating func writeRaw(_ raw: UnsafeRawBufferPointer) {
        bytes.append(contentsOf: raw)
    }

    /// Copies runs of bytes that need no escaping in one append each.
    private mutating func appendQuoted(_ utf8: UnsafeBufferPointer<UInt8>) {
        bytes.append(UInt8(ascii: "\""))
        var runStart = 0
        var seen: UInt64 = 0  // not needed here: the string is valid UTF-8
        while true {
            let stop = JSONStringScan.firstStop(in: utf8, from: runStart, seen: &seen)
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<stop]))
            guard stop < utf8.count else { break }
            appendEscape(utf8[stop])
            runStart = stop + 1
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func appendEscape(_ byte: UInt8) {
        let short: UInt8
        switch byte {
        case UInt8(ascii: "\""): short = UInt8(ascii: "\"")
        case UInt8(ascii: "\\"): short = UInt8(ascii: "\\")
        case 0x08: short = UInt8(ascii: "b")
        case 0x0C: short = UInt8(ascii: "f")
        case 0x0A: short = UInt8(ascii: "n")
        case 0x0D: short = UInt8(ascii: "r")
        case 0x09: short = UInt8(ascii: "t")
        default:
            let hex: StaticString = "0123456789abcdef"
            let digits = hex.utf8Start
            writeRaw("\\u00" as StaticString)
            bytes.append(digits[Int(byte >> 4)])
            bytes.append(digits[Int(byte & 0x0F)])
            return
        }
        bytes.append(UInt8(ascii: "\\"))
        bytes.append(short)
    }
}
