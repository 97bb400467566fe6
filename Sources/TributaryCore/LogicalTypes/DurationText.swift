/// ISO-8601 duration text of Debezium `MicroDuration` (an `int64` count of
/// microseconds; Debezium approximates a month as 30.4375 days before
/// sending it).
///
/// The shape is Java's `Duration.toString` with the sign in front:
/// hours, minutes and seconds only (`PT26H3M4.000005S`, `PT0S`,
/// `-PT1H30M`); the seconds fraction has its trailing zeros removed.
public enum DurationText {
    public static func iso8601(microseconds: Int64) -> String {
        if microseconds == 0 { return "PT0S" }
        let magnitude = microseconds.magnitude  // UInt64: Int64.min is fine
        let totalSeconds = magnitude / 1_000_000
        let fraction = magnitude % 1_000_000
        let hours = totalSeconds / 3600
        let minutes = totalSeconds / 60 % 60
        let seconds = totalSeconds % 60
        var text = microseconds < 0 ? "-PT" : "PT"
        if hours > 0 { text += "\(hours)H" }
        if minutes > 0 { text += "\(minutes)M" }
        if seconds > 0 || fraction > 0 {
            text += "\(seconds)"
            if fraction > 0 {
                var digits = String(fraction)
                digits = String(repeating: "0", count: 6 - digits.count) + digits
                while digits.hasSuffix("0") { digits.removeLast() }
                text += "." + digits
            }
            text += "S"
        }
        return text
    }
}
