/// Where the external version of every write comes from (`version.source`).
///
/// External versions make writes idempotent and order-proof: OpenSearch
/// applies a write only when its version is higher than the stored one
/// (`external`), or higher or equal (`external_gte`) for sources whose
/// position can be shared by several changes of one row. Replays, retries
/// and reordering then cannot overwrite newer data with older.
///
/// | option | source | version | type |
/// |---|---|---|---|
/// | `auto` (default) | per `source.connector` (below) | | |
/// | `source.lsn` | PostgreSQL `source.lsn` | the LSN | external |
/// | `binlog` | MySQL `source.file`/`pos`/`row` | `file# << 43 \| pos << 9 \| row` | external |
/// | `commit_lsn` | SQL Server `source.commit_lsn` (else `change_lsn`) | `vlf << 36 \| block << 12 \| slot` | external_gte |
/// | `scn` | Oracle `source.commit_scn` (else `scn`) | the SCN | external_gte |
/// | `oplog` | MongoDB `source.ts_ms`/`ord` | `seconds << 31 \| ord` | external_gte |
/// | `ts_ms` | `source.ts_ms` | milliseconds | external_gte |
/// | `field:NAME` | column NAME of the row | its integer value | external_gte |
/// | `kafka.offset` | the record's offset | the offset | external |
/// | `none` | — | unversioned | — |
///
/// `auto` maps `postgresql` → `source.lsn`, `mysql` → `binlog`, `sqlserver`
/// → `commit_lsn`, `mongodb` → `oplog`, `oracle` → `scn`, any other
/// connector → `ts_ms`. Without `source.connector` (flattened rows) it picks
/// by the fields present (`lsn`, `file`+`pos`, `commit_lsn`, `scn`, `ord`,
/// `ts_ms`), and writes unversioned when there is none.
public enum VersionSource: Sendable, Hashable {
    /// Choose per event from `source.connector` (the default).
    case auto
    /// PostgreSQL `source.lsn`: the change's 64-bit log sequence number.
    case sourceLSN
    /// MySQL binlog coordinates packed into 63 bits (`MySQLBinlogPosition`).
    case binlog
    /// SQL Server `commit_lsn`, packed into 63 bits (`SQLServerLSN`).
    case sqlServerLSN
    /// Oracle `commit_scn`, or `scn` for snapshot events.
    case oracleSCN
    /// MongoDB oplog time: `source.ts_ms` seconds and `source.ord`.
    case mongoOplog
    /// `source.ts_ms`: the source commit time in milliseconds.
    case sourceTimestamp
    /// An integer column of the row (`field:NAME`), e.g. a row version counter.
    case field(String)
    /// The Kafka offset of the record. Only ordered within one partition, and
    /// reset when the topic is re-created: use only for single-partition
    /// topics whose source has no log position.
    case kafkaOffset
    /// No version: last write wins in arrival order (not replay-safe).
    case none

    /// Every spelling `init(parsing:)` accepts, for messages.
    public static let spellings = [
        "auto", "source.lsn", "binlog", "commit_lsn", "scn", "oplog", "ts_ms", "field:NAME", "kafka.offset", "none",
    ]

    /// Parses the `version.source` option.
    public init(parsing text: String) throws(ConfigError) {
        switch text {
        case "auto": self = .auto
        case "source.lsn", "lsn": self = .sourceLSN
        case "binlog", "mysql.binlog": self = .binlog
        case "commit_lsn", "sqlserver.lsn": self = .sqlServerLSN
        case "scn", "oracle.scn": self = .oracleSCN
        case "oplog", "mongodb.oplog": self = .mongoOplog
        case "ts_ms", "source.ts_ms": self = .sourceTimestamp
        case "kafka.offset", "offset": self = .kafkaOffset
        case "none": self = .none
        default:
            if text.hasPrefix("field:") {
                let name = String(text.dropFirst("field:".count)).trimmingASCIISpaces
                guard !name.isEmpty else { throw ConfigError(key: "version.source", "field: needs a column name (field:updated_version)") }
                self = .field(name)
                return
            }
            throw ConfigError(key: "version.source", "unknown value '\(text)'; use one of \(Self.spellings.joined(separator: ", "))")
        }
    }

    /// The option's canonical spelling.
    public var name: String {
        switch self {
        case .auto: "auto"
        case .sourceLSN: "source.lsn"
        case .binlog: "binlog"
        case .sqlServerLSN: "commit_lsn"
        case .oracleSCN: "scn"
        case .mongoOplog: "oplog"
        case .sourceTimestamp: "ts_ms"
        case .field(let column): "field:\(column)"
        case .kafkaOffset: "kafka.offset"
        case .none: "none"
        }
    }

    /// The version of an event, or `nil` when the write is unversioned.
    /// OpenSearch external versions are non-negative 63-bit integers.
    public func version(of event: ChangeEvent, offset: Int64) throws(DecodeError) -> Int64? {
        try externalVersion(of: event, offset: offset)?.value
    }

    /// The version and how OpenSearch compares it, or `nil` when unversioned.
    public func externalVersion(of event: ChangeEvent, offset: Int64) throws(DecodeError) -> ExternalVersion? {
        switch self {
        case .none:
            return nil
        case .kafkaOffset:
            return ExternalVersion(offset, .external)
        case .auto:
            guard let resolved = Self.resolve(for: event) else { return nil }
            return try resolved.externalVersion(of: event, offset: offset)
        case .sourceLSN:
            guard let lsn = event.source?["lsn"]?.numberValue?.int64, lsn >= 0 else {
                throw missing("numeric source.lsn", hint: "for non-PostgreSQL sources use version.source=auto")
            }
            return ExternalVersion(lsn, .external)
        case .binlog:
            return ExternalVersion(try MySQLBinlogPosition.version(source: event.source), .external)
        case .sqlServerLSN:
            return ExternalVersion(try SQLServerLSN.version(source: event.source), .externalGTE)
        case .oracleSCN:
            let scn = Self.integer(event.source?["commit_scn"]) ?? Self.integer(event.source?["scn"])
            guard let scn, scn >= 0 else { throw missing("source.commit_scn or source.scn", hint: nil) }
            return ExternalVersion(scn, .externalGTE)
        case .mongoOplog:
            guard let tsMs = Self.integer(event.source?["ts_ms"]), tsMs >= 0 else { throw missing("source.ts_ms", hint: nil) }
            let ord = Self.integer(event.source?["ord"]) ?? 0
            guard ord >= 0, ord < 1 << 31, tsMs / 1000 < 1 << 32 else {
                throw DecodeError(.missingVersion, "MongoDB ts_ms \(tsMs) / ord \(ord) do not fit the 32+31-bit oplog version")
            }
            return ExternalVersion((tsMs / 1000) << 31 | ord, .externalGTE)
        case .sourceTimestamp:
            guard let tsMs = Self.integer(event.source?["ts_ms"]), tsMs >= 0 else {
                throw missing("source.ts_ms", hint: "set version.source=kafka.offset or none for sources without it")
            }
            return ExternalVersion(tsMs, .externalGTE)
        case .field(let column):
            let row = event.after ?? event.before
            guard let value = Self.integer(row?[column]), value >= 0 else {
                if event.operation == .delete { return nil }  // the before image rarely has it: delete unversioned
                throw missing("a non-negative integer in column '\(column)'", hint: nil)
            }
            return ExternalVersion(value, .externalGTE)
        }
    }

    /// The concrete source `auto` uses for `event`, or `nil` for unversioned.
    public static func resolve(for event: ChangeEvent) -> VersionSource? {
        guard let source = event.source else { return nil }
        switch source["connector"]?.stringValue {
        case "postgresql": return .sourceLSN
        case "mysql": return .binlog
        case "sqlserver": return .sqlServerLSN
        case "mongodb": return .mongoOplog
        case "oracle": return .oracleSCN
        case .some: return source["ts_ms"] == nil ? nil : .sourceTimestamp
        case .none:
            if source["lsn"] != nil { return .sourceLSN }
            if source["file"] != nil && source["pos"] != nil { return .binlog }
            if source["commit_lsn"] != nil || source["change_lsn"] != nil { return .sqlServerLSN }
            if source["scn"] != nil || source["commit_scn"] != nil { return .oracleSCN }
            if source["ord"] != nil && source["ts_ms"] != nil { return .mongoOplog }
            if source["ts_ms"] != nil { return .sourceTimestamp }
            return nil
        }
    }

    /// An integer from a JSON number, a numeric string (Oracle sends SCNs as
    /// strings) or MongoDB Extended JSON (`{"$numberLong": "17"}`).
    static func integer(_ value: JSONValue?) -> Int64? {
        switch value {
        case .number(let number)?: number.int64
        case .string(let text)?: Int64(text)
        case .object(let object)?: (object["$numberLong"] ?? object["$numberInt"])?.stringValue.flatMap { Int64($0) }
        default: nil
        }
    }

    private func missing(_ what: String, hint: String?) -> DecodeError {
        DecodeError(
            .missingVersion,
            "event has no \(what) (version.source=\(name))" + (hint.map { "; \($0)" } ?? "")
        )
    }
}

/// An external version and how OpenSearch compares it with the stored one.
public struct ExternalVersion: Sendable, Hashable {
    public var value: Int64
    public var type: BulkItem.VersionType

    public init(_ value: Int64, _ type: BulkItem.VersionType) {
        self.value = value
        self.type = type
    }
}
