import Synchronization

/// Parsed JsonConverter schemas, keyed by their exact bytes.
///
/// A topic's schema rarely changes, yet every message repeats it (often most
/// of the message's bytes). The decoder looks the schema's bytes up here and
/// parses only the payload; a schema seen for the first time — a new column —
/// is parsed, validated and cached at once. Hits compare the bytes exactly
/// (the few most recent first, then by hash), so a cached schema is always the
/// parse of the very bytes in the message. Bounded: at `capacity` distinct
/// schemas the cache starts over. Thread-safe: the lock is held only to take
/// or update the entry lists, never while bytes are compared (routing threads
/// look schemas up for every record).
public final class SchemaCache: Sendable {
    struct Entry {
        var bytes: [UInt8]
        var schema: JSONValue
    }

    public let capacity: Int
    private let state: Mutex<(recent: [Entry], byHash: [Int: Entry])>

    public init(capacity: Int = 256) {
        self.capacity = max(1, capacity)
        self.state = Mutex(([], [:]))
    }

    /// The parsed schema of `bytes`, parsing and caching it on a miss.
    func schema(for bytes: UnsafeRawBufferPointer, limits: JSONLimits) throws(JSONParseError) -> JSONValue {
        if let hit = state.withLock({ $0.recent }).first(where: { Self.equal($0.bytes, bytes) }) { return hit.schema }
        let hash = Self.hash(bytes)
        if let entry = state.withLock({ $0.byHash[hash] }), Self.equal(entry.bytes, bytes) {
            state.withLock { Self.remember(entry, in: &$0.recent) }
            return entry.schema
        }
        let schema = try JSONParser.parse(bytes, limits: limits)
        let entry = Entry(bytes: Array(bytes), schema: schema)
        state.withLock { state in
            if state.byHash.count >= capacity { state.byHash.removeAll(keepingCapacity: true) }
            state.byHash[hash] = entry
            Self.remember(entry, in: &state.recent)
        }
        return schema
    }

    /// Matches the most recent schema against a whole message laid out as
    /// `{"schema":<schema>,"payload":<payload>}` (JsonConverter's compact
    /// form) by comparing bytes, without scanning the schema at all. Returns
    /// the cached schema and the payload's byte range, or `nil`.
    func matchLast(_ bytes: UnsafeRawBufferPointer) -> (schema: JSONValue, payload: Range<Int>)? {
        let head: StaticString = #"{"schema":"#
        let middle: StaticString = #","payload":"#
        guard Self.matches(bytes, at: 0, head) else { return nil }
        for entry in state.withLock({ $0.recent }) {
            let schemaEnd = head.utf8CodeUnitCount + entry.bytes.count
            let payloadStart = schemaEnd + middle.utf8CodeUnitCount
            guard payloadStart < bytes.count,
                Self.equal(entry.bytes, UnsafeRawBufferPointer(rebasing: bytes[head.utf8CodeUnitCount..<schemaEnd])),
                Self.matches(bytes, at: schemaEnd, middle)
            else { continue }
            var end = bytes.count
            while end > payloadStart, EnvelopeScanner.isSpace(bytes[end - 1]) { end -= 1 }
            guard end > payloadStart, bytes[end - 1] == UInt8(ascii: "}") else { return nil }
            return (entry.schema, payloadStart..<(end - 1))
        }
        return nil
    }

    /// Whether `literal` stands in `bytes` at `offset`.
    @inline(__always)
    private static func matches(_ bytes: UnsafeRawBufferPointer, at offset: Int, _ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard offset + count <= bytes.count else { return false }
        let text = UnsafeRawBufferPointer(start: literal.utf8Start, count: count)
        for i in 0..<count where bytes[offset + i] != text[i] { return false }
        return true
    }

    /// Keeps the few most recent schemas first: a record's key and value
    /// schemas alternate, and a connector reads a handful of tables.
    private static func remember(_ entry: Entry, in recent: inout [Entry]) {
        recent.removeAll { $0.bytes == entry.bytes }
        recent.insert(entry, at: 0)
        if recent.count > 4 { recent.removeLast() }
    }

    /// The number of cached schemas (for tests and metrics).
    public var count: Int { state.withLock { $0.byHash.count } }

    private static func hash(_ bytes: UnsafeRawBufferPointer) -> Int {
        var hasher = Hasher()
        hasher.combine(bytes: bytes)
        return hasher.finalize()
    }

    /// Whether `stored` holds exactly `bytes` (a several-kilobyte schema
    /// compared in vector-wide steps).
    private static func equal(_ stored: [UInt8], _ bytes: UnsafeRawBufferPointer) -> Bool {
        stored.withUnsafeBytes { ByteEquality.equal($0, bytes) }
    }
}
