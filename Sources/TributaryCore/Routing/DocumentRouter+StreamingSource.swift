/// The streaming route's `source` block: only the members routing reads.
///
/// `source` has a dozen members, of which a decision reads a few (the
/// connector, the table for the index name, the position for the version).
/// Building every member as a `JSONValue` was a sixth of the routing time,
/// so the members below are built and the rest are only validated.
///
/// Contract: `sourceMembers` accepts exactly the objects `JSONParser` accepts
/// (under the same limits) and returns them with the members whose names are
/// in `SourceMember.read` — in order, duplicates kept — so every
/// `source["name"]` lookup for such a name gives what it gives on the full
/// parse. The general path's readers of `source` (`VersionSource`,
/// `SourcePositions`, `IndexNameTemplate`, `DocumentMapping`'s metadata,
/// `ChangeEvent`'s accessors) may read only names listed there; a new reader
/// of another name must add it.
extension DocumentRouter {
    /// The `source` object at `start` (validated; inside `depth`
    /// containers) with only the members routing reads, and its end; `nil`
    /// when it is not a valid object ending by `limit` or a member name has
    /// an escape (then the general path decides).
    func sourceMembers(_ raw: UnsafeRawBufferPointer, at start: Int, limit: Int, depth: Int) -> (source: JSONObject, end: Int)? {
        let scan = JSONValidator(raw, limits: decoder.limits)
        var cursor = start
        guard cursor < limit, raw[cursor] == UInt8(ascii: "{"), depth < decoder.limits.maxDepth else { return nil }
        var object = JSONObject()
        cursor = scan.skipSpace(cursor + 1)
        guard cursor < limit else { return nil }
        if raw[cursor] == UInt8(ascii: "}") { return (object, cursor + 1) }
        while true {
            guard cursor < limit, raw[cursor] == UInt8(ascii: "\""), let name = scan.skipString(cursor), !name.escaped
            else { return nil }
            let nameBytes = UnsafeRawBufferPointer(rebasing: raw[(cursor + 1)..<(name.end - 1)])
            cursor = scan.skipSpace(name.end)
            guard cursor < limit, raw[cursor] == UInt8(ascii: ":") else { return nil }
            let valueStart = scan.skipSpace(cursor + 1)
            guard let end = scan.skipValue(valueStart, depth: depth + 1), end <= limit else { return nil }
            if SourceMember.isRead(nameBytes) {
                guard let value = scan.value(in: valueStart..<end, depth: depth + 1) else { return nil }
                object.append(key: JSONByteParser.makeString(nameBytes.assumingMemoryBound(to: UInt8.self)), value: value)
            }
            cursor = scan.skipSpace(end)
            guard cursor < limit else { return nil }
            if raw[cursor] == UInt8(ascii: "}") { return (object, cursor + 1) }
            guard raw[cursor] == UInt8(ascii: ",") else { return nil }
            cursor = scan.skipSpace(cursor + 1)
        }
    }
}

/// The `source` member names any routing decision reads.
enum SourceMember {
    /// Connector and position (`VersionSource`, `SourcePositions`), index
    /// name (`IndexNameTemplate`) and metadata (`DocumentMapping`) fields.
    static let read: [String] = [
        "connector", "lsn", "ts_ms", "table", "collection", "db", "schema",
        "file", "pos", "row", "commit_lsn", "change_lsn", "scn", "commit_scn", "ord",
    ]

    /// `read` grouped by UTF-8 length: most of `source`'s other members
    /// (`version`, `snapshot`, `sequence`) are ruled out by length alone.
    private static let readByLength: [[[UInt8]]] = {
        var groups = [[[UInt8]]](repeating: [], count: (read.map(\.utf8.count).max() ?? 0) + 1)
        for name in read { groups[name.utf8.count].append(Array(name.utf8)) }
        return groups
    }()

    static func isRead(_ name: UnsafeRawBufferPointer) -> Bool {
        guard name.count < readByLength.count else { return false }
        return readByLength[name.count].contains { known in known.withUnsafeBytes { ByteEquality.equal(name, $0) } }
    }
}
