/// Turns one Kafka record into the bulk operation that applies it.
///
/// Pure and thread-safe. Decisions:
/// - `c`, `r`, `u`: `index` of the `after` row, id from the key, logical
///   types decoded (`RowPlan`), mapped by `DocumentMapping`; a row with
///   unavailable (TOASTed) columns becomes a partial `update` (`toast.mode`);
/// - `d`: `delete` by the key's id (a `before` image is never indexed: under
///   PostgreSQL's REPLICA IDENTITY DEFAULT its non-key columns are fillers),
///   or under `delete.mode=soft` a versioned tombstone document;
/// - flattened rows (ExtractNewRecordState): the same, `__deleted` → delete;
/// - tombstones: per `behavior.on.null.values`;
/// - truncate: skipped, or `deleteAll` under `truncate.mode=delete_all`;
/// - transaction metadata and logical messages: skipped.
/// Every write carries the external version from `versionSource`.
public struct DocumentRouter: Sendable {
    public var indexName: IndexNameTemplate
    public var versionSource: VersionSource
    public var nullValues: NullValueBehavior
    public var pipeline: String?
    public var decoder: EnvelopeDecoder
    /// `topic.index.map`: exact topic → index; takes precedence over `indexName`.
    public var topicIndexMap: [String: String]
    public var mapping: DocumentMapping
    public var deleteMode: DeleteMode
    public var truncateMode: TruncateMode
    public var toastMode: ToastMode
    /// Compiled row plans per distinct schema, shared by copies of this router.
    public let plans: RowPlanCache
    /// Validated index names, shared by copies of this router.
    public let indexNames: IndexNameMemo

    public init(
        indexName: IndexNameTemplate = .tableOrTopic,
        versionSource: VersionSource = .auto,
        nullValues: NullValueBehavior = .ignore,
        pipeline: String? = nil,
        decoder: EnvelopeDecoder = EnvelopeDecoder(),
        topicIndexMap: [String: String] = [:],
        mapping: DocumentMapping = DocumentMapping(),
        deleteMode: DeleteMode = .hard,
        truncateMode: TruncateMode = .ignore,
        toastMode: ToastMode = .script,
        plans: RowPlanCache = RowPlanCache(),
        indexNames: IndexNameMemo = IndexNameMemo()
    ) {
        self.indexName = indexName
        self.versionSource = versionSource
        self.nullValues = nullValues
        self.pipeline = pipeline
        self.decoder = decoder
        self.topicIndexMap = topicIndexMap
        self.mapping = mapping
        self.deleteMode = deleteMode
        self.truncateMode = truncateMode
        self.toastMode = toastMode
        self.plans = plans
        self.indexNames = indexNames
    }

    /// What to do with a record.
    public enum Decision: Sendable, Hashable {
        /// Send this operation to OpenSearch.
        case write(BulkItem)
        /// Nothing to write; the record is confirmed as is.
        case skip(SkipReason)
        /// A source TRUNCATE under `truncate.mode=delete_all`: delete every
        /// document of `index`. The worker first waits until every earlier
        /// record of the partition is confirmed, then runs
        /// `POST /<index>/_delete_by_query?conflicts=proceed&refresh=true`
        /// with `{"query":{"match_all":{}}}`, and confirms the record only
        /// when that succeeded (a 404 `index_not_found_exception` counts as
        /// success: there is nothing to delete); later records of the
        /// partition wait for it.
        case deleteAll(index: String)
    }

    /// Why a record needs no write.
    public enum SkipReason: String, Sendable, Hashable {
        case tombstone
        case truncate
        case transactionMetadata = "transaction-metadata"
        case logicalMessage = "logical-message"
    }

    /// Routes the record at `offset` of `topic`.
    ///
    /// Throws `DecodeError` for a record that can never be written (a poison
    /// pill) or, with code `.nullValue`, for a tombstone under `fail`.
    ///
    /// The common record takes the streaming route (`routeStreaming`), which
    /// gives the same decision without building the row; the rest, and every
    /// record that fails, take the general path.
    public func route(topic: String, offset: Int64, key: [UInt8]?, value: [UInt8]?) throws(DecodeError) -> Decision {
        if let value, streamingEligible, let decision = routeStreaming(topic: topic, offset: offset, key: key, value: value) {
            return decision
        }
        return try routeGeneral(topic: topic, offset: offset, key: key, value: value)
    }

    /// `route` for a key and a value read in place (a consumer's buffers,
    /// valid for the duration of the call; `keyBytes` nil for a null key):
    /// the streaming route copies nothing it does not write; the decoding
    /// route, taken by the few records it leaves alone, copies both first.
    public func route(
        topic: String, offset: Int64, keyBytes: UnsafeRawBufferPointer?, valueBytes value: UnsafeRawBufferPointer?
    ) throws(DecodeError) -> Decision {
        if let value, streamingEligible, let decision = routeStreaming(topic: topic, offset: offset, keyBytes: keyBytes, raw: value) {
            return decision
        }
        return try routeGeneral(topic: topic, offset: offset, key: keyBytes.map { [UInt8]($0) }, value: value.map { [UInt8]($0) })
    }

    /// `route` without the streaming route: decodes the whole value first.
    func routeGeneral(topic: String, offset: Int64, key: [UInt8]?, value: [UInt8]?) throws(DecodeError) -> Decision {
        let decoded = try decoder.decode(value: value)
        switch decoded {
        case .control(let kind):
            return .skip(kind == "logical-message" ? .logicalMessage : .transactionMetadata)
        case .truncate(let event):
            switch truncateMode {
            case .ignore: return .skip(.truncate)
            case .deleteAll: return .deleteAll(index: try index(topic: topic, source: event.source))
            }
        case .tombstone:
            return try routeTombstone(topic: topic, offset: offset, key: key)
        case .change(let event):
            return .write(try routeChange(event, topic: topic, offset: offset, key: key))
        }
    }

    /// The target index: `topic.index.map`, else the template.
    func index(topic: String, source: JSONObject?) throws(DecodeError) -> String {
        if let mapped = topicIndexMap[topic] { return mapped }
        return try indexName.render(topic: topic, source: source, memo: indexNames)
    }

    private func routeTombstone(topic: String, offset: Int64, key: [UInt8]?) throws(DecodeError) -> Decision {
        switch nullValues {
        case .ignore:
            return .skip(.tombstone)
        case .fail:
            throw DecodeError(.nullValue, "record value is null and behavior.on.null.values=fail")
        case .delete:
            guard let recordKey = try decodeKey(key, mongo: false) else {
                throw DecodeError(.missingKey, "tombstone has no key; cannot derive a document id")
            }
            let id = try DocumentID.make(from: recordKey, delimiter: mapping.keyDelimiter)
            let index = try index(topic: topic, source: nil)
            let version: Int64? = versionSource == .kafkaOffset ? offset : nil
            let routing = try mapping.routingField.map { (field: String) throws(DecodeError) in
                guard let value = routingValue(field, in: keyDocument(recordKey)) else {
                    throw DecodeError(.missingRouting, "tombstone key has no '\(field)' column for routing.field")
                }
                return value
            }
            return .write(.delete(index, id: id, version: version, routing: routing))
        }
    }
}
