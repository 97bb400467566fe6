import Synchronization

/// Computes the target index of an event.
///
/// A template is literal text with placeholders: `${topic}`, `${source.db}`,
/// `${source.schema}`, `${source.table}`. Without a template the index is the
/// source table (`source.table`, MongoDB's `source.collection`), or the last dot-separated segment of the
/// topic when the event has no source block (`dbserver1.inventory.customers`
/// → `customers`). The result is lower-cased, because OpenSearch index names
/// must be lower case, and validated against OpenSearch's naming rules.
public struct IndexNameTemplate: Sendable, Hashable {
    enum Part: Sendable, Hashable {
        case literal(String)
        case topic
        case sourceDatabase
        case sourceSchema
        case sourceTable
    }

    let parts: [Part]

    /// The placeholders a template may use.
    public static let placeholders = ["${topic}", "${source.db}", "${source.schema}", "${source.table}"]

    /// The default: the source table, else the topic's last segment.
    public static let tableOrTopic = IndexNameTemplate(parts: [])

    init(parts: [Part]) { self.parts = parts }

    /// Parses a template; the error message names the bad placeholder.
    public init(parsing text: String) throws(ConfigError) {
        var parts: [Part] = []
        var rest = Substring(text)
        while let start = rest.firstRange(of: "${") {
            if start.lowerBound > rest.startIndex { parts.append(.literal(String(rest[..<start.lowerBound]))) }
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else {
                throw ConfigError(key: "index.name", "unterminated placeholder in '\(text)'")
            }
            let name = rest[start.upperBound..<end]
            switch name {
            case "topic": parts.append(.topic)
            case "source.db": parts.append(.sourceDatabase)
            case "source.schema": parts.append(.sourceSchema)
            case "source.table": parts.append(.sourceTable)
            default:
                throw ConfigError(
                    key: "index.name",
                    "unknown placeholder '${\(name)}'; use one of \(Self.placeholders.joined(separator: ", "))"
                )
            }
            rest = rest[rest.index(after: end)...]
        }
        if !rest.isEmpty { parts.append(.literal(String(rest))) }
        guard !parts.isEmpty else { throw ConfigError(key: "index.name", "must not be empty") }
        self.parts = parts
    }

    /// The index for an event read from `topic`; throws when a placeholder has
    /// no value in this event or the result is not a valid index name.
    ///
    /// Validated names are remembered in `memo`: the router passes its own,
    /// so routing threads with routers of their own share no lock.
    public func render(topic: String, source: JSONObject?, memo: IndexNameMemo = IndexNameMemo()) throws(DecodeError) -> String {
        var name = ""
        if parts.isEmpty {
            if let table = (source?["table"] ?? source?["collection"])?.stringValue, !table.isEmpty {
                name = table
            } else {
                name = String(topic.split(separator: ".").last ?? Substring(topic))
            }
        } else {
            for part in parts {
                switch part {
                case .literal(let text): name += text
                case .topic: name += topic
                case .sourceDatabase: name += try field(source, "db")
                case .sourceSchema: name += try field(source, "schema")
                case .sourceTable: name += try field(source, "table")
                }
            }
        }
        return try finish(name, memo: memo)
    }

    /// Whether this is the default template (`tableOrTopic`).
    var isTableOrTopic: Bool { parts.isEmpty }

    /// The index named `name` before lower-casing: lower-cased and checked
    /// against OpenSearch's rules, once per name (`memo`).
    func finish(_ name: String, memo: IndexNameMemo) throws(DecodeError) -> String {
        if let known = memo.names.withLock({ $0[name] }) { return known }
        let lowered = name.lowercased()
        if let problem = Self.problem(with: lowered) {
            throw DecodeError(.invalidIndexName, "index name '\(lowered)' \(problem)")
        }
        memo.names.withLock { cache in
            if cache.count >= 4096 { cache.removeAll(keepingCapacity: true) }
            cache[name] = lowered
        }
        return lowered
    }

    private func field(_ source: JSONObject?, _ key: String) throws(DecodeError) -> String {
        let found = source?[key] ?? (key == "table" ? source?["collection"] : nil)  // MongoDB names its table "collection"
        guard let value = found?.stringValue, !value.isEmpty else {
            throw DecodeError(.invalidIndexName, "index.name uses ${source.\(key)} but the event has no source.\(key)")
        }
        return value
    }

    /// Why `name` is not a valid OpenSearch index name, or `nil` if it is.
    public static func problem(with name: String) -> String? {
        if name.isEmpty { return "is empty" }
        if name == "." || name == ".." { return "must not be '.' or '..'" }
        if name.utf8.count > 255 { return "is longer than 255 bytes" }
        if let first = name.first, first == "-" || first == "_" || first == "+" {
            return "must not start with '-', '_' or '+'"
        }
        for ch in name where "\\/*?\"<>| ,#:".contains(ch) {
            return "contains the character '\(ch)', which OpenSearch does not allow"
        }
        return nil
    }
}

/// Index names already lower-cased and validated: a pure function's memo,
/// since every record of a table renders the same name. Thread-safe; at most
/// 4 096 names (then it starts over).
public final class IndexNameMemo: Sendable {
    fileprivate let names = Mutex<[String: String]>([:])

    public init() {}
}
