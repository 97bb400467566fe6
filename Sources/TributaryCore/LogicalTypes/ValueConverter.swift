/// How a value of one logical type becomes its document form.
///
/// Built from a JsonConverter schema (`LogicalSchema`) or a `field.types`
/// hint; applied by `RowPlan`. Types not listed here (`Uuid`, `Enum`, `Xml`,
/// `ZonedTimestamp`, `ZonedTime`, `Year`, `Interval`, plain primitives) pass
/// through unchanged and get no converter at all.
public indirect enum ValueConverter: Sendable, Hashable {
    /// `org.apache.kafka.connect.data.Decimal`: base64 two's complement at `scale`.
    case decimal(scale: Int)
    /// `io.debezium.data.VariableScaleDecimal`: `{"scale": s, "value": base64}`.
    case variableScaleDecimal
    /// `io.debezium.time.Date`, Connect `Date`: days since the epoch → `YYYY-MM-DD`.
    case date
    /// `Time`/`MicroTime`/`NanoTime`, Connect `Time`: count since midnight → `HH:mm:ss.ffffff`.
    case timeOfDay(TemporalText.Unit)
    /// `Timestamp`/`MicroTimestamp`/`NanoTimestamp`, Connect `Timestamp` → ISO-8601 UTC.
    case timestamp(TemporalText.Unit)
    /// `io.debezium.time.MicroDuration`: microseconds → ISO-8601 duration.
    case microDuration
    /// `io.debezium.data.Json`: a string holding JSON → the JSON value (kept as
    /// the string when it does not parse).
    case json
    /// `io.debezium.data.EnumSet`: `"a,b"` → `["a","b"]`.
    case enumSet
    /// `io.debezium.data.Bits` (little-endian bytes, base64): an integer when
    /// `length` ≤ 63 bits (or unknown and ≤ 7 bytes), else the base64 kept.
    case bits(length: Int?)
    /// `io.debezium.data.geometry.Point`/`Geometry`/`Geography` `{wkb, srid}` → GeoJSON.
    case geometry
    /// A nested struct.
    case object(RowPlan)
    /// An array whose elements need converting.
    case array(ValueConverter)
    /// A map (JSON object form) whose values need converting.
    case mapValues(ValueConverter)
}

/// Options that shape converted values (`decimal.format`).
public struct LogicalTypeOptions: Sendable, Hashable {
    public enum DecimalFormat: String, Sendable, Hashable, CaseIterable {
        /// An exact JSON number literal (`1200.00`), the default.
        case number
        /// A JSON string (`"1200.00"`), for indices mapped as keyword or to
        /// keep clients that parse numbers as doubles exact.
        case string
    }

    public var decimalFormat: DecimalFormat

    public init(decimalFormat: DecimalFormat = .number) {
        self.decimalFormat = decimalFormat
    }
}
