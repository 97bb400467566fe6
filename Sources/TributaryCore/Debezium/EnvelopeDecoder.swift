/// Decodes Debezium-format JSON values into `DecodedValue`s.
///
/// Accepts the envelope with the JsonConverter schema wrapper
/// (`{"schema":…,"payload":{…}}`, including `"schema":null`) and without it
/// (the bare `{"before":…,"after":…,"op":…}` of `schemas.enable=false`).
/// Transaction-metadata events (`status` BEGIN/END) are reported as control
/// messages. Pure and thread-safe.
public struct EnvelopeDecoder: Sendable {
    /// What shape record values have (`value.format`).
    public enum ValueFormat: String, Sendable, Hashable, CaseIterable {
        /// An envelope when the value has `op` next to `before`/`after`/`source`;
        /// a flattened row when it has `__deleted` or `__op`; else an error.
        case auto
        /// Always a Debezium envelope.
        case envelope
        /// Always a flattened row (ExtractNewRecordState), even with no `__` metadata.
        case flattened
    }

    public var limits: JSONLimits
    public var format: ValueFormat
    /// Schemas already parsed, so a repeated schema costs a byte comparison.
    public let schemas: SchemaCache

    public init(limits: JSONLimits = JSONLimits(), format: ValueFormat = .auto, schemas: SchemaCache = SchemaCache()) {
        self.limits = limits
        self.format = format
        self.schemas = schemas
    }

    /// Decodes one Kafka record value; `nil` bytes are a tombstone.
    public func decode(value bytes: [UInt8]?) throws(DecodeError) -> DecodedValue {
        guard let bytes else { return .tombstone }
        let json: JSONValue
        do {
            json = try parse(bytes)
        } catch {
            throw DecodeError(.malformedValue, "value is not valid JSON: \(error)")
        }
        return try decode(value: json)
    }

    /// Parses a record's key or value.
    ///
    /// Fast path: a JsonConverter wrapper (`{"schema":…,"payload":…}`) whose
    /// schema bytes were seen before parses only its payload and reuses the
    /// cached schema (whose storage is shared, so plans keyed by it are found
    /// without hashing). Anything else is parsed whole, which also reports
    /// malformed input with its exact byte offset.
    public func parse(_ bytes: [UInt8]) throws(JSONParseError) -> JSONValue {
        let fast: JSONValue? = bytes.withUnsafeBytes { raw in
            guard let wrapper = schemas.matchLast(raw) ?? EnvelopeScanner.scanWrapper(raw).flatMap({ wrapper in
                (try? schemas.schema(for: UnsafeRawBufferPointer(rebasing: raw[wrapper.schema]), limits: limits))
                    .map { (schema: $0, payload: wrapper.payload) }
            }) else { return nil }
            guard let payload = try? JSONParser.parse(UnsafeRawBufferPointer(rebasing: raw[wrapper.payload]), limits: limits) else {
                return nil
            }
            return .object(JSONObject([(key: "schema", value: wrapper.schema), (key: "payload", value: payload)]))
        }
        if let fast { return fast }
        return try JSONParser.parse(bytes, limits: limits)
    }

    /// Decodes an already parsed value.
    public func decode(value json: JSONValue) throws(DecodeError) -> DecodedValue {
        if json.isNull { return .tombstone }
        guard case .object(let root) = json else {
            throw DecodeError(.notAnEnvelope, "value is a JSON \(json.kindName), expected an object")
        }
        var schema: JSONObject?
        var payload = root
        if let wrapped = root["payload"], root.count <= 2, root.keys.allSatisfy({ $0 == "payload" || $0 == "schema" }) {
            // JsonConverter wrapper: {"schema": …, "payload": …}.
            if wrapped.isNull { return .tombstone }
            guard case .object(let inner) = wrapped else {
                throw DecodeError(.notAnEnvelope, "payload is a JSON \(wrapped.kindName), expected an object")
            }
            payload = inner
            schema = root["schema"]?.objectValue
        }
        return try decodePayload(payload, schema: schema)
    }

    private func decodePayload(_ payload: JSONObject, schema: JSONObject?) throws(DecodeError) -> DecodedValue {
        switch format {
        case .flattened:
            return FlattenedRow.decode(payload, schema: schema)
        case .auto where FlattenedRow.looksFlattened(payload):
            return FlattenedRow.decode(payload, schema: schema)
        case .auto, .envelope:
            break
        }
        guard let opValue = payload["op"] else {
            if let status = payload["status"]?.stringValue, status == "BEGIN" || status == "END" {
                return .control(kind: "transaction-\(status.lowercased())")
            }
            throw DecodeError(
                .notAnEnvelope,
                "value has no 'op' field; expected a Debezium change event envelope with before/after/source/op"
            )
        }
        guard let opText = opValue.stringValue, let operation = ChangeOperation(rawValue: opText) else {
            throw DecodeError(.unknownOperation, "unknown op \(opValue); expected one of c, r, u, d, t, m")
        }
        let event = ChangeEvent(
            operation: operation,
            before: try row(payload, "before"),
            after: try row(payload, "after"),
            source: payload["source"]?.objectValue,
            timestampMs: payload["ts_ms"]?.numberValue?.int64,
            schema: schema
        )
        switch operation {
        case .create, .read, .update:
            guard event.after != nil else {
                throw DecodeError(.missingRow, "op '\(opText)' event has no 'after' row")
            }
            return .change(event)
        case .delete:
            return .change(event)
        case .truncate:
            return .truncate(event)
        case .message:
            return .control(kind: "logical-message")
        }
    }

    /// A row image: an object, or JSON null / absent. MongoDB connectors send
    /// the row as a string holding extended JSON; that is parsed here too.
    private func row(_ payload: JSONObject, _ name: String) throws(DecodeError) -> JSONObject? {
        guard let value = payload[name] else { return nil }
        switch value {
        case .null:
            return nil
        case .object(let object):
            return object
        case .string(let text):
            do {
                if case .object(let object) = try JSONParser.parse(Array(text.utf8), limits: limits) {
                    return object
                }
            } catch {}
            throw DecodeError(.notAnEnvelope, "'\(name)' is a string that does not hold a JSON object")
        default:
            throw DecodeError(.notAnEnvelope, "'\(name)' is a JSON \(value.kindName), expected an object or null")
        }
    }
}

extension JSONValue {
    /// A short name of the value's kind for error messages.
    public var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}
