/// Proleptic Gregorian calendar arithmetic on days since 1970-01-01 (UTC),
/// exact for every `Int64` day count the temporal types can produce.
///
/// The year is found from a 400-year-cycle estimate corrected against the
/// exact start of each year; the tests check it against Howard Hinnant's
/// independent `civil_from_days`.
public enum CivilCalendar {
    /// A calendar date. `month` is 1...12, `day` 1...31.
    public struct Date: Sendable, Hashable {
        public var year: Int64
        public var month: Int
        public var day: Int
    }

    /// Days from 0000-01-01 to 1970-01-01.
    static let epochDaysFromYear0: Int64 = 719_528

    /// The day number (since 1970-01-01) of January 1st of `year`.
    public static func daysBeforeYear(_ year: Int64) -> Int64 {
        // Leap years in [0, year - 1]: multiples of 4, minus centuries, plus multiples of 400.
        let leaps = floorDiv(year + 3, 4) - floorDiv(year + 99, 100) + floorDiv(year + 399, 400)
        return 365 * year + leaps - epochDaysFromYear0
    }

    public static func isLeapYear(_ year: Int64) -> Bool {
        floorMod(year, 4) == 0 && (floorMod(year, 100) != 0 || floorMod(year, 400) == 0)
    }

    /// Days before the first of each month in a common year.
    private static let monthStarts: [Int64] = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365]

    /// The calendar date of day `days` since 1970-01-01 (negative before 1970).
    public static func date(fromDays days: Int64) -> Date {
        var year = 1970 + floorDiv(days * 400, 146_097)
        while daysBeforeYear(year) > days { year -= 1 }
        while daysBeforeYear(year + 1) <= days { year += 1 }
        let dayOfYear = days - daysBeforeYear(year)  // 0...365
        let leap: Int64 = isLeapYear(year) ? 1 : 0
        var month = 1
        while month < 12 {
            let nextStart = monthStarts[month] + (month >= 2 ? leap : 0)
            if dayOfYear < nextStart { break }
            month += 1
        }
        let monthStart = monthStarts[month - 1] + (month >= 3 ? leap : 0)
        return Date(year: year, month: month, day: Int(dayOfYear - monthStart) + 1)
    }

    /// Floor division (rounds toward negative infinity); `divisor` > 0.
    @inline(__always)
    public static func floorDiv(_ value: Int64, _ divisor: Int64) -> Int64 {
        let quotient = value / divisor
        return (value % divisor < 0) ? quotient - 1 : quotient
    }

    /// The non-negative remainder matching `floorDiv`; `divisor` > 0.
    @inline(__always)
    public static func floorMod(_ value: Int64, _ divisor: Int64) -> Int64 {
        let remainder = value % divisor
        return remainder < 0 ? remainder + divisor : remainder
    }
}
