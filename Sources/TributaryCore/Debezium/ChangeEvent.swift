/// The kind of change a Debezium event describes (`payload.op`).
public enum ChangeOperation: String, Sendable, Hashable {
    /// `c`: a row was inserted.
    case create = "c"
    /// `r`: a row was read by a snapshot.
    case read = "r"
    /// `u`: a row was updated.
    case update = "u"
    /// `d`: a row was deleted. Authoritative: the tombstone that may follow is only for log compaction.
    case delete = "d"
    /// `t`: the table was truncated.
    case truncate = "t"
    /// `m`: a logical decoding message (PostgreSQL `pg_logical_emit_message`); carries no row.
    case message = "m"
}

/// One decoded Debezium change event.
///
/// `before`/`after` are the row images as JSON objects (`after` is `nil` for
/// deletes, `before` is `nil` for inserts and often for updates). `source`
/// carries the position in the source log (`lsn`, `ts_ms`, `table`, …).
/// `schema` is the JsonConverter schema of the value, when the message had one.
public struct ChangeEvent: Sendable, Hashable {
    public var operation: ChangeOperation
    public var before: JSONObject?
    public var after: JSONObject?
    public var source: JSONObject?
    /// `payload.ts_ms`: when the connector processed the event (epoch milliseconds).
    public var timestampMs: Int64?
    /// The value schema (`schema` of the JsonConverter wrapper), if any.
    public var schema: JSONObject?
    /// Whether the value was a flattened row (ExtractNewRecordState) rather
    /// than an envelope. Its `__`-prefixed metadata members are moved to
    /// `metadata` and, where they name source fields, into `source`.
    public var isFlattened: Bool
    /// The `__`-prefixed members of a flattened row, in row order.
    public var metadata: JSONObject?

    public init(
        operation: ChangeOperation,
        before: JSONObject? = nil,
        after: JSONObject? = nil,
        source: JSONObject? = nil,
        timestampMs: Int64? = nil,
        schema: JSONObject? = nil,
        isFlattened: Bool = false,
        metadata: JSONObject? = nil
    ) {
        self.operation = operation
        self.before = before
        self.after = after
        self.source = source
        self.timestampMs = timestampMs
        self.schema = schema
        self.isFlattened = isFlattened
        self.metadata = metadata
    }

    /// The schema of the row image: the envelope's `after` field schema, or
    /// for a flattened row the value schema itself.
    public var rowSchema: JSONObject? {
        guard let schema else { return nil }
        return isFlattened ? schema : LogicalSchema.fieldSchema("after", in: schema)
    }

    /// `source.connector` (`postgresql`, `mysql`, `sqlserver`, `mongodb`, `oracle`, …), when present.
    public var connector: String? { source?["connector"]?.stringValue }

    /// `source.table`, when present.
    public var table: String? { source?["table"]?.stringValue }
    /// `source.db`, when present.
    public var database: String? { source?["db"]?.stringValue }
    /// `source.schema`, when present.
    public var sourceSchema: String? { source?["schema"]?.stringValue }
}

/// What a Kafka record value turned out to be.
public enum DecodedValue: Sendable, Hashable {
    /// A row change (`op` c, r, u or d).
    case change(ChangeEvent)
    /// `op=t`: the source table was truncated.
    case truncate(ChangeEvent)
    /// A null value: the tombstone Debezium writes after a delete, for log compaction.
    case tombstone
    /// A message that carries no row change and is skipped: transaction
    /// metadata (BEGIN/END), logical decoding messages (`op=m`), heartbeats.
    case control(kind: String)
}
