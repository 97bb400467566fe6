import Testing
@testable import TributaryCore

@Suite("ISO-8601 text of Debezium and Kafka Connect temporal types")
struct TemporalTextTests {
    let options = LogicalTypeOptions()

    func convert(_ converter: ValueConverter, _ value: Int64) throws -> JSONValue {
        try converter.apply(.number(JSONNumber(value)), options: options, field: "f")
    }

    @Test("hand-computed values")
    func handComputed() throws {
        #expect(try convert(.date, 19279) == .string("2022-10-14"))
        #expect(try convert(.timestamp(.microseconds), 1_665_791_731_989_360) == .string("2022-10-14T23:55:31.989360Z"))
        #expect(try convert(.timeOfDay(.microseconds), 86_131_989_360) == .string("23:55:31.989360"))
        #expect(try convert(.timeOfDay(.milliseconds), 86_399_000) == .string("23:59:59.000000"))
        #expect(try convert(.timeOfDay(.nanoseconds), 1_000_000_001) == .string("00:00:01.000000001"))
        #expect(try convert(.timeOfDay(.microseconds), 86_400_000_000) == .string("24:00:00.000000"))
        #expect(try convert(.timestamp(.milliseconds), 99_999_999_999_000) == .string("5138-11-16T09:46:39.000Z"))
        #expect(try convert(.timestamp(.nanoseconds), 1_665_791_731_989_360_123) == .string("2022-10-14T23:55:31.989360123Z"))
        #expect(try convert(.timestamp(.microseconds), -1) == .string("1969-12-31T23:59:59.999999Z"))
        #expect(try convert(.date, -719_528) == .string("0000-01-01"))
        #expect(try convert(.date, -719_529) == .string("-0001-12-31"))
        #expect(try convert(.date, 2_932_897) == .string("+10000-01-01"))
        #expect(try convert(.date, 11_016) == .string("2000-02-29"))
        #expect(try convert(.microDuration, 93_784_000_005) == .string("PT26H3M4.000005S"))
        #expect(try convert(.microDuration, -5_400_000_000) == .string("-PT1H30M"))
        #expect(try convert(.microDuration, 0) == .string("PT0S"))
        #expect(try convert(.microDuration, 500_000) == .string("PT0.5S"))
        // Strings (ZonedTimestamp, custom converters) and nulls pass through.
        #expect(try ValueConverter.date.apply(.string("9999-12-31"), options: options, field: "f") == .string("9999-12-31"))
        #expect(try ValueConverter.date.apply(.null, options: options, field: "f") == .null)
        #expect(throws: DecodeError.self) { try ValueConverter.date.apply(.number(JSONNumber(unchecked: "1.5")), options: options, field: "f") }
        #expect(throws: DecodeError.self) { try convert(.timeOfDay(.milliseconds), -1) }
    }

    // MARK: Howard Hinnant's civil_from_days, the independent reference

    static func civilFromDays(_ days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }

    static func pad(_ value: Int64, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }

    static func expectedDate(_ days: Int64) -> String {
        let (y, m, d) = civilFromDays(days)
        let year = y < 0 ? "-" + pad(-y, 4) : y > 9999 ? "+" + pad(y, 4) : pad(y, 4)
        return "\(year)-\(pad(m, 2))-\(pad(d, 2))"
    }

    static func expectedTimestamp(_ count: Int64, perSecond: Int64, digits: Int) -> String {
        let perDay = perSecond * 86_400
        var days = count / perDay
        var rest = count % perDay
        if rest < 0 {
            days -= 1
            rest += perDay
        }
        let seconds = rest / perSecond
        let fraction = rest % perSecond
        return expectedDate(days) + "T" + pad(seconds / 3600, 2) + ":" + pad(seconds / 60 % 60, 2) + ":" + pad(seconds % 60, 2)
            + "." + pad(fraction, digits) + "Z"
    }

    @Test("dates match civil_from_days over ±5 million days, around leap days and century years (seeded)")
    func randomDates() throws {
        var random = SeededGenerator(seed: 0xDA7E)
        var days: [Int64] = (0..<4000).map { _ in Int64.random(in: -5_000_000...5_000_000, using: &random) }
        // Every day around the edges of 1900, 2000, 2100, 1600, 0 and 1970.
        for year in [-400, -1, 0, 1, 1600, 1700, 1900, 1969, 1970, 2000, 2004, 2100, 2400] as [Int64] {
            let start = CivilCalendar.daysBeforeYear(year)
            days += (start - 3...start + 3).map { $0 }
            days += (start + 55...start + 62).map { $0 }  // end of February
        }
        for day in days {
            #expect(try convert(.date, day) == .string(Self.expectedDate(day)), "day \(day)")
        }
    }

    @Test("milli/micro/nano timestamps match civil_from_days, before and after 1970 (seeded)")
    func randomTimestamps() throws {
        var random = SeededGenerator(seed: 0x7135)
        let units: [(ValueConverter, Int64, Int, ClosedRange<Int64>)] = [
            (.timestamp(.milliseconds), 1_000, 3, -62_000_000_000_000...253_000_000_000_000),
            (.timestamp(.microseconds), 1_000_000, 6, -62_000_000_000_000_000...253_000_000_000_000_000),
            (.timestamp(.nanoseconds), 1_000_000_000, 9, Int64.min...Int64.max),
        ]
        for (converter, perSecond, digits, range) in units {
            for _ in 0..<3000 {
                let count = Int64.random(in: range, using: &random)
                #expect(try convert(converter, count) == .string(Self.expectedTimestamp(count, perSecond: perSecond, digits: digits)), "\(count)")
            }
        }
    }

    /// The longest texts there are: the ends of the `Int64` range in every
    /// unit (years of up to nine digits), written through the stack buffer
    /// the hot path appends from.
    @Test("timestamps at both ends of the Int64 range, in every unit")
    func extremeTimestamps() {
        let units: [(TemporalText.Unit, Int64, Int)] = [(.milliseconds, 1_000, 3), (.microseconds, 1_000_000, 6), (.nanoseconds, 1_000_000_000, 9)]
        for (unit, perSecond, digits) in units {
            for count in [Int64.min, Int64.min + 1, -1, 0, Int64.max - 1, Int64.max] {
                let want = Self.expectedTimestamp(count, perSecond: perSecond, digits: digits)
                #expect(TemporalText.timestamp(count, unit: unit) == want)
                var out = Array("prefix ".utf8)
                TemporalText.appendTimestamp(count, unit: unit, to: &out)
                #expect(String(decoding: out, as: UTF8.self) == "prefix " + want)
            }
        }
    }

    @Test("times of day match a direct computation (seeded)")
    func randomTimes() throws {
        var random = SeededGenerator(seed: 0x71AE)
        for _ in 0..<2000 {
            let micros = Int64.random(in: 0...86_400_000_000, using: &random)
            let seconds = micros / 1_000_000
            let want = Self.pad(seconds / 3600, 2) + ":" + Self.pad(seconds / 60 % 60, 2) + ":" + Self.pad(seconds % 60, 2) + "."
                + Self.pad(micros % 1_000_000, 6)
            #expect(try convert(.timeOfDay(.microseconds), micros) == .string(want))
            let millis = micros / 1000
            #expect(try convert(.timeOfDay(.milliseconds), millis) == .string(String(want.prefix(12)) + "000"))
        }
    }
}
