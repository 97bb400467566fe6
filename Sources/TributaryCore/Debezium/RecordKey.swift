/// The primary-key columns of a record, decoded from the Kafka message key.
///
/// Debezium keys are `{"id": 1001}` (bare) or `{"schema":…,"payload":{"id":1001}}`
/// (JsonConverter with schemas). A key that is a JSON scalar is accepted too
/// and stands for a single unnamed column.
public struct RecordKey: Sendable, Hashable {
    /// The key columns in message order.
    public var columns: [(name: String, value: JSONValue)]

    public init(columns: [(name: String, value: JSONValue)]) {
        self.columns = columns
    }

    public static func == (lhs: RecordKey, rhs: RecordKey) -> Bool {
        lhs.columns.count == rhs.columns.count
            && zip(lhs.columns, rhs.columns).allSatisfy { $0.name == $1.name && $0.value == $1.value }
    }

    public func hash(into hasher: inout Hasher) {
        for column in columns {
            hasher.combine(column.name)
            hasher.combine(column.value)
        }
    }

    /// Decodes a message key; `nil` or empty bytes give `nil` (no key).
    public static func decode(_ bytes: [UInt8]?, limits: JSONLimits = JSONLimits()) throws(DecodeError) -> RecordKey? {
        guard let bytes, !bytes.isEmpty else { return nil }
        let json: JSONValue
        do {
            json = try JSONParser.parse(bytes, limits: limits)
        } catch {
            throw DecodeError(.malformedKey, "key is not valid JSON: \(error)")
        }
        return try decode(json)
    }

    /// Decodes an already parsed key.
    public static func decode(_ json: JSONValue) throws(DecodeError) -> RecordKey? {
        var value = json
        if case .object(let object) = json, let payload = object["payload"],
            object.keys.allSatisfy({ $0 == "payload" || $0 == "schema" })
        {
            value = payload
        }
        switch value {
        case .null:
            return nil
        case .object(let object):
            if object.isEmpty { return nil }
            return RecordKey(columns: object.members.map { (name: $0.key, value: $0.value) })
        case .array:
            throw DecodeError(.malformedKey, "key is a JSON array; expected an object of key columns or a scalar")
        default:
            return RecordKey(columns: [(name: "", value: value)])
        }
    }
}
