/// The OpenSearch field mapping of one Kafka Connect field schema, matching
/// the document form `ValueConverter` gives its values.
///
/// | schema | mapping |
/// |---|---|
/// | `int8`, `int16`, `int32`, `int64` | `byte`, `short`, `integer`, `long` (so `Year` is `integer`) |
/// | `float`/`float32`, `double`/`float64` | `float`, `double` |
/// | `boolean` | `boolean` |
/// | `string` (also `Xml`, unknown names) | `text` with a `keyword` sub-field (`ignore_above` 256), as dynamic mapping does |
/// | `bytes` | `binary` |
/// | `Decimal`, `VariableScaleDecimal` | per `decimal.mapping` (`IndexMappingOptions.DecimalMapping`) |
/// | `Date`, Connect `Date`, `IsoDate` | `date`, format `strict_date` |
/// | `Timestamp`, `MicroTimestamp`, `ZonedTimestamp`, Connect `Timestamp`, `IsoTimestamp` | `date` |
/// | `NanoTimestamp` | `date_nanos` |
/// | times of day (`Time`, `MicroTime`, `NanoTime`, `ZonedTime`, Connect `Time`, `IsoTime`) | `keyword`: fixed-width `HH:mm:ss.ffffff` text sorts and ranges correctly, and `24:00:00` is kept |
/// | `MicroDuration`, `Interval`, `Uuid`, `Enum`, `EnumSet` | `keyword` |
/// | `Json` | `object` (searchable sub-fields, mapped dynamically) |
/// | `Bits` | `long` when its length is at most 63 bits, else `binary` (none without a length) |
/// | `geometry.Point`, `Geometry`, `Geography` | `geo_shape` (the values are GeoJSON) |
/// | `array` | its element's mapping (every field is multi-valued) |
/// | `struct` | `object` with the fields' `properties` |
/// | `map` | none (dynamic) |
///
/// Date, date_nanos and geo_shape fields are `ignore_malformed`: a value
/// OpenSearch cannot index there (PostgreSQL `infinity`, a year beyond 9999,
/// a date before 1970 in `date_nanos`, projected coordinates) leaves that
/// field unindexed but keeps the row, exact in `_source`.
public enum FieldMapping {
    /// The mapping for `schema`, or `nil` when the field is best left to dynamic mapping.
    public static func mapping(for schema: JSONObject, decimal: IndexMappingOptions.DecimalMapping) -> JSONObject? {
        if let name = schema["name"]?.stringValue, let named = mapping(named: name, schema: schema, decimal: decimal) {
            return named.mapping
        }
        switch schema["type"]?.stringValue {
        case "int8": return type("byte")
        case "int16": return type("short")
        case "int32": return type("integer")
        case "int64": return type("long")
        case "float", "float32": return type("float")
        case "double", "float64": return type("double")
        case "boolean": return type("boolean")
        case "string": return text
        case "bytes": return type("binary")
        case "array":
            return schema["items"]?.objectValue.flatMap { mapping(for: $0, decimal: decimal) }
        case "struct":
            return object(properties: properties(ofStruct: schema, decimal: decimal))
        default:
            return nil  // map (JSON object or [key, value] pairs), or an unknown type
        }
    }

    /// The mappings of the fields of a struct schema, in schema order;
    /// fields without one are left out.
    public static func properties(ofStruct schema: JSONObject, decimal: IndexMappingOptions.DecimalMapping) -> JSONObject {
        var properties = JSONObject()
        for field in schema["fields"]?.arrayValue ?? [] {
            guard let fieldSchema = field.objectValue, let name = fieldSchema["field"]?.stringValue,
                let mapping = mapping(for: fieldSchema, decimal: decimal)
            else { continue }
            properties[name] = .object(mapping)
        }
        return properties
    }

    /// The mapping of a logical type: `nil` for a name that does not decide it
    /// (`Year`, `Xml`, `Ltree`, …: the structural type does).
    private static func mapping(named name: String, schema: JSONObject, decimal: IndexMappingOptions.DecimalMapping) -> Named? {
        typealias Name = LogicalSchema.Name
        return switch name {
        case Name.decimal:
            .mapped(decimalMapping(decimal, scale: parameter("scale", of: schema), precision: parameter("connect.decimal.precision", of: schema)))
        case Name.variableScaleDecimal:
            .mapped(decimalMapping(decimal, scale: nil, precision: nil))
        case Name.date, Name.connectDate, ExtraName.isoDate:
            .mapped(tolerant(["type": .string("date"), "format": .string("strict_date")]))
        case Name.timestamp, Name.microTimestamp, Name.connectTimestamp, ExtraName.zonedTimestamp, ExtraName.isoTimestamp:
            .mapped(tolerant(["type": .string("date")]))
        case Name.nanoTimestamp:
            .mapped(tolerant(["type": .string("date_nanos")]))
        case Name.time, Name.microTime, Name.nanoTime, Name.connectTime, ExtraName.zonedTime, ExtraName.isoTime,
            Name.microDuration, ExtraName.interval, ExtraName.uuid, ExtraName.enumeration, Name.enumSet:
            .mapped(type("keyword"))
        case Name.json:
            .mapped(type("object"))
        case Name.bits:
            // Without a length the value is an integer or base64 text: leave it dynamic.
            parameter("length", of: schema).map { .mapped(type($0 <= 63 ? "long" : "binary")) } ?? .dynamic
        case Name.point, Name.geometry, Name.geography:
            .mapped(tolerant(["type": .string("geo_shape")]))
        default:
            nil
        }
    }

    /// What a logical type name decides.
    private enum Named {
        case mapped(JSONObject)
        /// No explicit mapping: OpenSearch maps the field from its first value.
        case dynamic

        var mapping: JSONObject? {
            if case .mapped(let mapping) = self { mapping } else { nil }
        }
    }

    /// Logical type names that convert to nothing but map to a specific type.
    enum ExtraName {
        static let zonedTimestamp = "io.debezium.time.ZonedTimestamp"
        static let zonedTime = "io.debezium.time.ZonedTime"
        static let isoDate = "io.debezium.time.IsoDate"
        static let isoTime = "io.debezium.time.IsoTime"
        static let isoTimestamp = "io.debezium.time.IsoTimestamp"
        static let interval = "io.debezium.time.Interval"
        static let uuid = "io.debezium.data.Uuid"
        static let enumeration = "io.debezium.data.Enum"
    }

    /// Integer digits a `scaled_float` can hold: the scaled value is a long (< 9.2 × 10^18).
    static let scaledFloatDigits = 18
    /// The largest scaling exponent used when the precision is unknown (12 integer digits remain).
    static let defaultMaxScaleExponent = 6

    /// A `Decimal` with `scale` and `precision` (total digits), when known.
    static func decimalMapping(_ decimal: IndexMappingOptions.DecimalMapping, scale: Int?, precision: Int?) -> JSONObject {
        switch decimal {
        case .double: return type("double")
        case .keyword: return type("keyword")
        case .scaledFloat:
            guard let scale else { return type("double") }  // VariableScaleDecimal: no fixed scale
            let maxExponent = precision.map { scaledFloatDigits - ($0 - scale) } ?? defaultMaxScaleExponent
            guard maxExponent >= 0 else { return type("double") }  // more integer digits than a long holds
            let exponent = min(max(scale, 0), maxExponent)
            let factor = "1" + String(repeating: "0", count: exponent)
            return ["type": .string("scaled_float"), "scaling_factor": .number(JSONNumber(unchecked: factor))]
        }
    }

    /// `text` with a `keyword` sub-field, as OpenSearch maps a new string dynamically.
    static let text: JSONObject = [
        "type": .string("text"),
        "fields": .object(["keyword": .object(["type": .string("keyword"), "ignore_above": .number(JSONNumber(256))])]),
    ]

    static func type(_ name: String) -> JSONObject { ["type": .string(name)] }

    static func object(properties: JSONObject) -> JSONObject {
        properties.isEmpty ? type("object") : ["properties": .object(properties)]
    }

    /// `mapping` with `ignore_malformed: true`.
    static func tolerant(_ mapping: JSONObject) -> JSONObject {
        var mapping = mapping
        mapping["ignore_malformed"] = .bool(true)
        return mapping
    }

    /// An integer schema parameter (Connect writes them as strings).
    static func parameter(_ name: String, of schema: JSONObject) -> Int? {
        schema["parameters"]?[name].flatMap { $0.stringValue ?? $0.numberValue?.text }.flatMap { Int($0.trimmingASCIISpaces) }
    }
}
