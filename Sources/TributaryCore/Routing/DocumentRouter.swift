/// Turns one Kafka record into the bulk operation that applies it.
///
/// Pure and thread-safe. Decisions:
/// - `c`, `r`, `u`: `index` of the `after` row, id from the key;
/// - `d`: `delete` by the key's id (a `before` image is never indexed: under
///   PostgreSQL's REPLICA IDENTITY DEFAULT its non-key columns are fillers);
/// - tombstones: per `behavior.on.null.values`;
/// - truncate, transaction metadata and logical messages: skipped.
/// Every write carries the external version from `versionSource`.
public struct DocumentRouter: Sendable {
    public var indexName: IndexNameTemplate
    public var versionSource: VersionSource
    public var nullValues: NullValueBehavior
    public var pipeline: String?
    public var decoder: EnvelopeDecoder

    public init(
        indexName: IndexNameTemplate = .tableOrTopic,
        versionSource: VersionSource = .sourceLSN,
        nullValues: NullValueBehavior = .ignore,
        pipeline: String? = nil,
        decoder: EnvelopeDecoder = EnvelopeDecoder()
    ) {
        self.indexName = indexName
        self.versionSource = versionSource
        self.nullValues = nullValues
        self.pipeline = pipeline
        self.decoder = decoder
    }

    /// What to do with a record.
    public enum Decision: Sendable, Hashable {
        /// Send this operation to OpenSearch.
        case write(BulkItem)
        /// Nothing to write; the record is confirmed as is.
        case skip(SkipReason)
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
    public func route(topic: String, offset: Int64, key: [UInt8]?, value: [UInt8]?) throws(DecodeError) -> Decision {
        let decoded = try decoder.decode(value: value)
        switch decoded {
        case .control(let kind):
            return .skip(kind == "logical-message" ? .logicalMessage : .transactionMetadata)
        case .truncate:
            return .skip(.truncate)
        case .tombstone:
            return try routeTombstone(topic: topic, offset: offset, key: key)
        case .change(let event):
            guard let recordKey = try RecordKey.decode(key, limits: decoder.limits) else {
                throw DecodeError(.missingKey, "record has no key; cannot derive a document id (does the table have a primary key?)")
            }
            let id = try DocumentID.make(from: recordKey)
            let index = try indexName.render(topic: topic, source: event.source)
            let version = try versionSource.version(of: event, offset: offset)
            if event.operation == .delete {
                return .write(.delete(index, id: id, version: version))
            }
            guard let after = event.after else {
                throw DecodeError(.missingRow, "op '\(event.operation.rawValue)' event has no 'after' row")
            }
            return .write(.index(index, id: id, version: version, document: after, pipeline: pipeline))
        }
    }

    private func routeTombstone(topic: String, offset: Int64, key: [UInt8]?) throws(DecodeError) -> Decision {
        switch nullValues {
        case .ignore:
            return .skip(.tombstone)
        case .fail:
            throw DecodeError(.nullValue, "record value is null and behavior.on.null.values=fail")
        case .delete:
            guard let recordKey = try RecordKey.decode(key, limits: decoder.limits) else {
                throw DecodeError(.missingKey, "tombstone has no key; cannot derive a document id")
            }
            let id = try DocumentID.make(from: recordKey)
            let index = try indexName.render(topic: topic, source: nil)
            let version: Int64? = versionSource == .kafkaOffset ? offset : nil
            return .write(.delete(index, id: id, version: version))
        }
    }
}
