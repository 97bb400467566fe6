/// ISO-8601 text of the epoch-based temporal types, in the shapes
/// OpenSearch's default `date` format (`strict_date_optional_time`) parses.
///
/// - dates: `2022-10-14`
/// - timestamps (UTC): `2022-10-14T23:55:31.989360Z`, with 3, 6 or 9
///   fraction digits for milli-, micro- and nanosecond types
/// - times of day: `23:55:31.989360` (6 digits for milli- and microsecond
///   types, 9 for nanosecond types), `24:00:00.000000` kept as PostgreSQL sends it
///
/// Years outside 0000...9999 get a sign and at least four digits (`-0044`, `+12345`).
public enum TemporalText {
    /// The precision of an epoch or time-of-day count.
    public enum Unit: Sendable, Hashable {
        case milliseconds, microseconds, nanoseconds

        /// Units per second.
        public var perSecond: Int64 {
            switch self {
            case .milliseconds: 1_000
            case .microseconds: 1_000_000
            case .nanoseconds: 1_000_000_000
            }
        }

        /// Fraction digits written for a timestamp of this unit.
        public var timestampDigits: Int {
            switch self {
            case .milliseconds: 3
            case .microseconds: 6
            case .nanoseconds: 9
            }
        }

        /// Fraction digits written for a time of day of this unit.
        public var timeOfDayDigits: Int { self == .nanoseconds ? 9 : 6 }
    }

    /// `YYYY-MM-DD` of day `days` since 1970-01-01.
    public static func date(days: Int64) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(10)
        appendDate(CivilCalendar.date(fromDays: days), to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// `YYYY-MM-DDTHH:mm:ss.fffZ` (fraction per `unit`) of `count` units since the epoch.
    public static func timestamp(_ count: Int64, unit: Unit) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(32)
        appendTimestamp(count, unit: unit, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the text of `timestamp(count, unit:)`.
    static func appendTimestamp(_ count: Int64, unit: Unit, to out: inout [UInt8]) {
        var text = ShortText()
        let perDay = unit.perSecond * 86_400
        let days = CivilCalendar.floorDiv(count, perDay)
        let ofDay = CivilCalendar.floorMod(count, perDay)
        writeDate(CivilCalendar.date(fromDays: days), to: &text)
        text.append(UInt8(ascii: "T"))
        writeTime(ofDay, unit: unit, digits: unit.timestampDigits, to: &text)
        text.append(UInt8(ascii: "Z"))
        text.append(to: &out)
    }

    /// `HH:mm:ss.ffffff` of `count` units since midnight (0 ≤ count ≤ 24 h).
    public static func timeOfDay(_ count: Int64, unit: Unit) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(18)
        appendTime(count, unit: unit, digits: unit.timeOfDayDigits, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    static func appendDate(_ date: CivilCalendar.Date, to out: inout [UInt8]) {
        var text = ShortText()
        writeDate(date, to: &text)
        text.append(to: &out)
    }

    static func appendTime(_ count: Int64, unit: Unit, digits: Int, to out: inout [UInt8]) {
        var text = ShortText()
        writeTime(count, unit: unit, digits: digits, to: &text)
        text.append(to: &out)
    }

    private static func writeDate(_ date: CivilCalendar.Date, to text: inout ShortText) {
        if date.year < 0 {
            text.append(UInt8(ascii: "-"))
            text.appendPadded(UInt64(-date.year), width: 4)
        } else if date.year > 9999 {
            text.append(UInt8(ascii: "+"))
            text.appendPadded(UInt64(date.year), width: 4)
        } else {
            text.appendPadded(UInt64(date.year), width: 4)
        }
        text.append(UInt8(ascii: "-"))
        text.appendPadded(UInt64(date.month), width: 2)
        text.append(UInt8(ascii: "-"))
        text.appendPadded(UInt64(date.day), width: 2)
    }

    private static func writeTime(_ count: Int64, unit: Unit, digits: Int, to text: inout ShortText) {
        let seconds = count / unit.perSecond
        let fraction = count % unit.perSecond
        text.appendPadded(UInt64(seconds / 3600), width: 2)
        text.append(UInt8(ascii: ":"))
        text.appendPadded(UInt64(seconds / 60 % 60), width: 2)
        text.append(UInt8(ascii: ":"))
        text.appendPadded(UInt64(seconds % 60), width: 2)
        text.append(UInt8(ascii: "."))
        // Scale the fraction to `digits` digits (never fewer than the unit has).
        let unitDigits = unit.timestampDigits
        var scaled = UInt64(fraction)
        for _ in unitDigits..<max(unitDigits, digits) { scaled *= 10 }
        text.appendPadded(scaled, width: max(unitDigits, digits))
    }
}

/// Up to 64 bytes of text built on the stack, then appended to an array in
/// one step: appending a date or timestamp to the document byte by byte
/// checked the array's uniqueness and capacity for every byte.
///
/// 64 bytes hold the longest text written here: a sign, a year of up to 19
/// digits (the whole `Int64` range), `-MM-DDTHH:mm:ss.` and 9 fraction
/// digits, and `Z`. Writing more is a programming error (checked).
private struct ShortText {
    private var storage: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
    private(set) var count = 0

    static var capacity: Int { 64 }

    @inline(__always)
    mutating func append(_ byte: UInt8) {
        precondition(count < Self.capacity, "ShortText holds \(Self.capacity) bytes")
        let index = count
        withUnsafeMutableBytes(of: &storage) { $0[index] = byte }
        count += 1
    }

    /// Appends `value` in decimal, left-padded with zeros to `width` digits.
    mutating func appendPadded(_ value: UInt64, width: Int) {
        let zero = UInt8(ascii: "0")
        // Months, days, hours, minutes, seconds and most years.
        if width == 2 && value < 100 {
            append(zero + UInt8(value / 10))
            append(zero + UInt8(value % 10))
            return
        }
        if width == 4 && value < 10_000 {
            append(zero + UInt8(value / 1000))
            append(zero + UInt8(value / 100 % 10))
            append(zero + UInt8(value / 10 % 10))
            append(zero + UInt8(value % 10))
            return
        }
        var digits = 1
        var probe = value
        while probe >= 10 {
            probe /= 10
            digits += 1
        }
        let total = max(width, digits)
        precondition(count + total <= Self.capacity, "ShortText holds \(Self.capacity) bytes")
        let end = count + total
        withUnsafeMutableBytes(of: &storage) { bytes in
            var rest = value
            for index in stride(from: end - 1, through: count, by: -1) {
                bytes[index] = zero + UInt8(rest % 10)
                rest /= 10
            }
        }
        count = end
    }

    /// Appends the text to `out`.
    func append(to out: inout [UInt8]) {
        withUnsafeBytes(of: storage) { bytes in
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes.assumingMemoryBound(to: UInt8.self)[0..<count]))
        }
    }
}
