/// Where the external version of every write comes from (`version.source`).
///
/// External versions make writes idempotent and order-proof: OpenSearch
/// applies a write only when its version is higher than the stored one, so
/// replays, retries and reordering cannot overwrite newer data with older.
public enum VersionSource: Sendable, Hashable {
    /// PostgreSQL `source.lsn`: the change's 64-bit log sequence number,
    /// strictly increasing in commit order (the default).
    case sourceLSN
    /// The Kafka offset of the record. Only ordered within one partition, and
    /// reset when the topic is re-created: use only for single-partition
    /// topics whose source has no log position.
    case kafkaOffset
    /// No version: last write wins in arrival order (not replay-safe).
    case none

    /// Parses the `version.source` option.
    public init(parsing text: String) throws(ConfigError) {
        switch text {
        case "source.lsn", "lsn": self = .sourceLSN
        case "kafka.offset", "offset": self = .kafkaOffset
        case "none": self = .none
        default:
            throw ConfigError(key: "version.source", "unknown value '\(text)'; use source.lsn, kafka.offset or none")
        }
    }

    /// The option's canonical spelling.
    public var name: String {
        switch self {
        case .sourceLSN: "source.lsn"
        case .kafkaOffset: "kafka.offset"
        case .none: "none"
        }
    }

    /// The version of an event, or `nil` when versioning is off.
    /// OpenSearch external versions are non-negative 63-bit integers.
    public func version(of event: ChangeEvent, offset: Int64) throws(DecodeError) -> Int64? {
        switch self {
        case .none:
            return nil
        case .kafkaOffset:
            return offset
        case .sourceLSN:
            guard let lsnValue = event.source?["lsn"], let lsn = lsnValue.numberValue?.int64, lsn >= 0 else {
                throw DecodeError(
                    .missingVersion,
                    "event has no numeric source.lsn (version.source=source.lsn); for non-PostgreSQL sources set version.source"
                )
            }
            return lsn
        }
    }
}
