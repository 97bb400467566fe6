/// Compiles Kafka Connect JsonConverter schemas into `RowPlan`s.
///
/// A field schema looks like `{"type":"bytes","name":"org.apache.kafka.connect.data.Decimal",
/// "parameters":{"scale":"2"},"field":"price"}`; structs have `fields`, arrays
/// `items`, maps `keys`/`values`. Unknown names fall back to the structural
/// type, so nested structs and arrays of logical types are converted too.
public enum LogicalSchema {
    /// Debezium and Kafka Connect logical type names.
    public enum Name {
        public static let decimal = "org.apache.kafka.connect.data.Decimal"
        public static let variableScaleDecimal = "io.debezium.data.VariableScaleDecimal"
        public static let connectDate = "org.apache.kafka.connect.data.Date"
        public static let connectTime = "org.apache.kafka.connect.data.Time"
        public static let connectTimestamp = "org.apache.kafka.connect.data.Timestamp"
        public static let date = "io.debezium.time.Date"
        public static let time = "io.debezium.time.Time"
        public static let microTime = "io.debezium.time.MicroTime"
        public static let nanoTime = "io.debezium.time.NanoTime"
        public static let timestamp = "io.debezium.time.Timestamp"
        public static let microTimestamp = "io.debezium.time.MicroTimestamp"
        public static let nanoTimestamp = "io.debezium.time.NanoTimestamp"
        public static let microDuration = "io.debezium.time.MicroDuration"
        public static let json = "io.debezium.data.Json"
        public static let enumSet = "io.debezium.data.EnumSet"
        public static let bits = "io.debezium.data.Bits"
        public static let point = "io.debezium.data.geometry.Point"
        public static let geometry = "io.debezium.data.geometry.Geometry"
        public static let geography = "io.debezium.data.geometry.Geography"
    }

    /// The plan for a struct schema (`{"type":"struct","fields":[…]}`).
    public static func plan(forStruct schema: JSONObject) -> RowPlan {
        guard let fields = schema["fields"]?.arrayValue else { return RowPlan() }
        var entries: [RowPlan.Entry] = []
        for (position, field) in fields.enumerated() {
            guard let fieldSchema = field.objectValue, let name = fieldSchema["field"]?.stringValue,
                let converter = converter(for: fieldSchema)
            else { continue }
            entries.append(RowPlan.Entry(name: name, position: position, converter: converter))
        }
        return RowPlan(entries: entries)
    }

    /// The converter for one schema, or `nil` when its values pass through unchanged.
    public static func converter(for schema: JSONObject) -> ValueConverter? {
        if let name = schema["name"]?.stringValue, let named = converter(named: name, schema: schema) {
            return named
        }
        switch schema["type"]?.stringValue {
        case "struct":
            let plan = plan(forStruct: schema)
            return plan.isEmpty ? nil : .object(plan)
        case "array":
            return schema["items"]?.objectValue.flatMap(converter(for:)).map { .array($0) }
        case "map":
            return schema["values"]?.objectValue.flatMap(converter(for:)).map { .mapValues($0) }
        default:
            return nil
        }
    }

    private static func converter(named name: String, schema: JSONObject) -> ValueConverter? {
        switch name {
        case Name.decimal:
            let scale = schema["parameters"]?["scale"].flatMap { $0.stringValue ?? $0.numberValue?.text }.flatMap { Int($0) }
            return .decimal(scale: scale ?? 0)
        case Name.variableScaleDecimal: return .variableScaleDecimal
        case Name.date, Name.connectDate: return .date
        case Name.time, Name.connectTime: return .timeOfDay(.milliseconds)
        case Name.microTime: return .timeOfDay(.microseconds)
        case Name.nanoTime: return .timeOfDay(.nanoseconds)
        case Name.timestamp, Name.connectTimestamp: return .timestamp(.milliseconds)
        case Name.microTimestamp: return .timestamp(.microseconds)
        case Name.nanoTimestamp: return .timestamp(.nanoseconds)
        case Name.microDuration: return .microDuration
        case Name.json: return .json
        case Name.enumSet: return .enumSet
        case Name.bits:
            let length = schema["parameters"]?["length"].flatMap { $0.stringValue ?? $0.numberValue?.text }.flatMap { Int($0) }
            return .bits(length: length)
        case Name.point, Name.geometry, Name.geography: return .geometry
        default: return nil
        }
    }

    /// The schema of the member called `field` of a struct schema (`after` in an envelope).
    public static func fieldSchema(_ field: String, in schema: JSONObject) -> JSONObject? {
        guard let fields = schema["fields"]?.arrayValue else { return nil }
        for candidate in fields {
            if let object = candidate.objectValue, object["field"]?.stringValue == field { return object }
        }
        return nil
    }
}
