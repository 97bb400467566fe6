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
        object.reserveCapacity(SourceMember.typicallyRead)
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
            let end: Int
            if let key = SourceMember.readName(nameBytes) {
                guard let (value, valueEnd) = Self.sourceValue(at: valueStart, scan: scan, depth: depth + 1), valueEnd <= limit
                else { return nil }
                object.append(key: key, value: value)
                end = valueEnd
            } else {
                guard let skipped = scan.skipValue(valueStart, depth: depth + 1), skipped <= limit else { return nil }
                end = skipped
            }
            cursor = scan.skipSpace(end)
            guard cursor < limit else { return nil }
            if raw[cursor] == UInt8(ascii: "}") { return (object, cursor + 1) }
            guard raw[cursor] == UInt8(ascii: ",") else { return nil }
            cursor = scan.skipSpace(cursor + 1)
        }
    }
}

extension DocumentRouter {
    /// The value at `start` as `JSONValidator.value(in:)` gives it, and its
    /// end; `nil` when it is not valid. Unescaped strings and numbers — what
    /// `source` holds — are built from the one scan that validates them.
    fileprivate static func sourceValue(at start: Int, scan: JSONValidator, depth: Int) -> (JSONValue, Int)? {
        guard start < scan.input.count else { return nil }
        switch scan.input[start] {
        case UInt8(ascii: "\""):
            guard let string = scan.skipString(start) else { return nil }
            guard !string.escaped else { return scan.value(in: start..<string.end, depth: depth).map { ($0, string.end) } }
            let content = UnsafeBufferPointer(rebasing: scan.input[(start + 1)..<(string.end - 1)])
            return (.string(JSONByteParser.makeString(content)), string.end)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            guard let end = scan.skipNumber(start) else { return nil }
            let literal = UnsafeBufferPointer(rebasing: scan.input[start..<end])
            return (.number(JSONNumber(unchecked: JSONByteParser.makeString(literal))), end)
        default:
            guard let end = scan.skipValue(start, depth: depth), let value = scan.value(in: start..<end, depth: depth) else { return nil }
            return (value, end)
        }
    }
}

/// The `source` member names any routing decision reads.
enum SourceMember {
    /// Connector and position (`VersionSource`, `SourcePositions`), index
    /// name (`IndexNameTemplate`) and metadata (`DocumentMapping`) fields.
    /// `readName` must recognise exactly these (a test holds them together).
    static let read: [String] = [
        "connector", "lsn", "ts_ms", "table", "collection", "db", "schema",
        "file", "pos", "row", "commit_lsn", "change_lsn", "scn", "commit_scn", "ord",
    ]

    /// Room for the members one connector's `source` has among `read`
    /// (PostgreSQL: connector, ts_ms, db, schema, table, lsn), so the object
    /// is allocated once.
    static let typicallyRead = 8

    /// The name `name` spells when it is in `read`, else `nil`. A switch on
    /// the length first rules out most other members (`version`,
    /// `snapshot`, `sequence`) without a comparison; the names returned are
    /// literals, so no string is built per record.
    static func readName(_ name: UnsafeRawBufferPointer) -> String? {
        switch name.count {
        case 2: return ByteEquality.equal(name, "db") ? "db" : nil
        case 3:
            if ByteEquality.equal(name, "lsn") { return "lsn" }
            if ByteEquality.equal(name, "pos") { return "pos" }
            if ByteEquality.equal(name, "row") { return "row" }
            if ByteEquality.equal(name, "scn") { return "scn" }
            return ByteEquality.equal(name, "ord") ? "ord" : nil
        case 4: return ByteEquality.equal(name, "file") ? "file" : nil
        case 5:
            if ByteEquality.equal(name, "ts_ms") { return "ts_ms" }
            return ByteEquality.equal(name, "table") ? "table" : nil
        case 6: return ByteEquality.equal(name, "schema") ? "schema" : nil
        case 9: return ByteEquality.equal(name, "connector") ? "connector" : nil
        case 10:
            if ByteEquality.equal(name, "collection") { return "collection" }
            if ByteEquality.equal(name, "commit_lsn") { return "commit_lsn" }
            if ByteEquality.equal(name, "change_lsn") { return "change_lsn" }
            return ByteEquality.equal(name, "commit_scn") ? "commit_scn" : nil
        default: return nil
        }
    }
}
