/// `field.types`: logical types for rows that arrive without a schema
/// (`value.converter.schemas.enable=false`), where a Decimal is just a base64
/// string and a timestamp just a number.
///
/// Syntax: comma-separated `column:type`, e.g.
/// `price:decimal(2),created:micro_timestamp,doc:json`. Types:
/// `decimal(SCALE)`, `variable_decimal`, `date`, `time`, `micro_time`,
/// `nano_time`, `timestamp`, `micro_timestamp`, `nano_timestamp`,
/// `micro_duration`, `json`, `enum_set`, `bits`, `bits(LENGTH)`, `geometry`.
/// Hints name top-level columns and apply only to rows without a schema.
public enum FieldTypeHints {
    /// The type names accepted, for error messages.
    public static let typeNames = [
        "decimal(SCALE)", "variable_decimal", "date", "time", "micro_time", "nano_time", "timestamp",
        "micro_timestamp", "nano_timestamp", "micro_duration", "json", "enum_set", "bits", "bits(LENGTH)", "geometry",
    ]

    /// Parses the option; the error names `key`.
    public static func parse(_ text: String, key: String = "field.types") throws(ConfigError) -> RowPlan {
        var entries: [RowPlan.Entry] = []
        for item in text.split(separator: ",") {
            let spec = String(item).trimmingASCIISpaces
            if spec.isEmpty { continue }
            guard let colon = spec.lastIndex(of: ":") else {
                throw ConfigError(key: key, "'\(spec)' must be column:type")
            }
            let column = String(spec[..<colon]).trimmingASCIISpaces
            let typeText = String(spec[spec.index(after: colon)...]).trimmingASCIISpaces.lowercased()
            guard !column.isEmpty else { throw ConfigError(key: key, "'\(spec)' has an empty column name") }
            guard let converter = converter(typeText) else {
                throw ConfigError(key: key, "unknown type '\(typeText)' for column '\(column)'; use one of \(typeNames.joined(separator: ", "))")
            }
            entries.removeAll { $0.name == column }
            entries.append(RowPlan.Entry(name: column, position: -1, converter: converter))
        }
        return RowPlan(entries: entries)
    }

    private static func converter(_ type: String) -> ValueConverter? {
        if let argument = argument(of: type, prefix: "decimal") {
            guard let scale = Int(argument), scale.magnitude <= ValueConverter.maxScale.magnitude else { return nil }
            return .decimal(scale: scale)
        }
        if let argument = argument(of: type, prefix: "bits") {
            guard let length = Int(argument), length > 0 else { return nil }
            return .bits(length: length)
        }
        switch type {
        case "variable_decimal": return .variableScaleDecimal
        case "date": return .date
        case "time": return .timeOfDay(.milliseconds)
        case "micro_time": return .timeOfDay(.microseconds)
        case "nano_time": return .timeOfDay(.nanoseconds)
        case "timestamp": return .timestamp(.milliseconds)
        case "micro_timestamp": return .timestamp(.microseconds)
        case "nano_timestamp": return .timestamp(.nanoseconds)
        case "micro_duration": return .microDuration
        case "json": return .json
        case "enum_set": return .enumSet
        case "bits": return .bits(length: nil)
        case "geometry": return .geometry
        default: return nil
        }
    }

    /// `"12"` for `"decimal(12)"` with prefix `decimal`.
    private static func argument(of type: String, prefix: String) -> String? {
        guard type.hasPrefix(prefix + "("), type.hasSuffix(")") else { return nil }
        return String(type.dropFirst(prefix.count + 1).dropLast()).trimmingASCIISpaces
    }
}
