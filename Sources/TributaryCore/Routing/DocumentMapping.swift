/// How a decoded row becomes the document body: column selection and
/// renaming, null handling, metadata, and value formats.
///
/// Applied in this order: `fields.include`, then `fields.exclude` (both name
/// source columns), `drop.null.fields`, `fields.rename` (`old:new`), then
/// top-level members OpenSearch reserves (`_id`, `_index`, `_routing`,
/// `_source`, …) are dropped — MongoDB's `_id` included, which the document
/// id already carries; rename it (`fields.rename=_id:mongo_id`) to keep it
/// in the body. Finally the flattened row's `__` metadata (when kept),
/// `metadata.fields` and, under `delete.mode=soft`, `"__deleted": false` are appended.
public struct DocumentMapping: Sendable, Hashable {
    /// Source metadata a document can carry (`metadata.fields`), written as
    /// `metadata.prefix` + the raw value (`__op`, `__lsn`, …).
    public enum MetadataField: String, Sendable, Hashable, CaseIterable {
        /// The operation: `c`, `r`, `u` (`d` on soft-delete tombstones).
        case op
        /// PostgreSQL `source.lsn`.
        case lsn
        /// `source.ts_ms`: when the change was committed at the source.
        case sourceTimestamp = "source_ts_ms"
        /// `ts_ms`: when Debezium processed the change.
        case timestamp = "ts_ms"
        /// `source.table` (MongoDB: `source.collection`).
        case table
        /// `source.db`.
        case db
        /// `source.schema`.
        case schema
        /// `source.connector`.
        case connector
        /// The external version written with the document.
        case version
    }

    /// `fields.include`: only these source columns (nil: all).
    public var include: Set<String>?
    /// `fields.exclude`: never these source columns.
    public var exclude: Set<String>
    /// `fields.rename`: source column → document field.
    public var rename: [String: String]
    /// `drop.null.fields`: leave out top-level null members.
    public var dropNulls: Bool
    /// `metadata.fields`, in order.
    public var metadataFields: [MetadataField]
    /// `metadata.prefix` (default `__`).
    public var metadataPrefix: String
    /// `flattened.keep.metadata`: keep a flattened row's `__` members.
    public var keepFlattenedMetadata: Bool
    /// `routing.field`: the document field whose value becomes `_routing`.
    public var routingField: String?
    /// `key.delimiter`: joins the columns of a composite key into `_id`.
    public var keyDelimiter: String
    /// `decimal.format`.
    public var logicalTypes: LogicalTypeOptions
    /// `field.types`: converters for rows without a schema.
    public var fieldTypes: RowPlan

    public init(
        include: Set<String>? = nil,
        exclude: Set<String> = [],
        rename: [String: String] = [:],
        dropNulls: Bool = false,
        metadataFields: [MetadataField] = [],
        metadataPrefix: String = "__",
        keepFlattenedMetadata: Bool = false,
        routingField: String? = nil,
        keyDelimiter: String = "|",
        logicalTypes: LogicalTypeOptions = LogicalTypeOptions(),
        fieldTypes: RowPlan = RowPlan()
    ) {
        self.include = include
        self.exclude = exclude
        self.rename = rename
        self.dropNulls = dropNulls
        self.metadataFields = metadataFields
        self.metadataPrefix = metadataPrefix
        self.keepFlattenedMetadata = keepFlattenedMetadata
        self.routingField = routingField
        self.keyDelimiter = keyDelimiter
        self.logicalTypes = logicalTypes
        self.fieldTypes = fieldTypes
    }

    /// Top-level names OpenSearch rejects inside a document (metadata fields).
    public static let reservedFields: Set<String> = [
        "_id", "_index", "_routing", "_source", "_version", "_seq_no", "_primary_term", "_field_names",
        "_ignored", "_type", "_size", "_doc_count", "_nested_path", "_data_stream_timestamp",
    ]

    /// Whether columns are selected, renamed or dropped at all.
    var rewritesColumns: Bool { include != nil || !exclude.isEmpty || !rename.isEmpty || dropNulls }

    /// The document body for `row`; `droppedNulls` lists the (renamed)
    /// columns left out because they were null, which a partial update must
    /// remove from the stored document.
    func document(
        from row: JSONObject, event: ChangeEvent, version: ExternalVersion?, softDelete: Bool
    ) -> (document: JSONObject, droppedNulls: [String]) {
        var document: JSONObject
        var droppedNulls: [String] = []
        let hasUnderscore = row.members.contains { $0.key.utf8.first == UInt8(ascii: "_") }
        if !rewritesColumns && !hasUnderscore {
            document = row  // fast path: the row as it is
        } else {
            document = JSONObject()
            document.reserveCapacity(row.count + metadataFields.count + 1)
            for member in row {
                if let include, !include.contains(member.key) { continue }
                if exclude.contains(member.key) { continue }
                let name = rename[member.key] ?? member.key
                if dropNulls, member.value.isNull {
                    droppedNulls.append(name)
                    continue
                }
                if name.utf8.first == UInt8(ascii: "_"), Self.reservedFields.contains(name) { continue }
                document.append(key: name, value: member.value)
            }
        }
        if keepFlattenedMetadata, let metadata = event.metadata {
            for member in metadata { document[member.key] = member.value }
        }
        appendMetadata(to: &document, event: event, version: version)
        if softDelete { document["__deleted"] = .bool(false) }
        return (document, droppedNulls)
    }

    /// Appends `metadata.fields` members that the event has values for.
    func appendMetadata(to document: inout JSONObject, event: ChangeEvent, version: ExternalVersion?) {
        for field in metadataFields {
            let value: JSONValue?
            switch field {
            case .op: value = .string(event.operation.rawValue)
            case .lsn: value = event.source?["lsn"]
            case .sourceTimestamp: value = event.source?["ts_ms"]
            case .timestamp: value = event.timestampMs.map { .number(JSONNumber($0)) }
            case .table: value = event.source?["table"] ?? event.source?["collection"]
            case .db: value = event.source?["db"]
            case .schema: value = event.source?["schema"]
            case .connector: value = event.source?["connector"]
            case .version: value = version.map { .number(JSONNumber($0.value)) }
            }
            if let value, !value.isNull { document[metadataPrefix + field.rawValue] = value }
        }
    }

    /// The document field name of source column `column`.
    func fieldName(_ column: String) -> String { rename[column] ?? column }
}
