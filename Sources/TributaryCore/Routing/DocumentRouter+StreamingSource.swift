/// The streaming route's `source` block: where the members routing reads
/// sit in the record, found in one validating scan and built only if needed.
///
/// `source` has a dozen members, of which a decision reads a few (the
/// connector, the table for the index name, the position for the version).
/// Building them as a `JSONObject` for every record — strings, numbers, the
/// member array, and destroying it all again — was an eighth of the routing
/// time, so `sourceMembers` only notes where each member routing may read
/// lies (`SourceSlots`); the common PostgreSQL decision reads the connector,
/// `lsn` and `table` from those bytes, and anything else builds the object.
///
/// Contract: `sourceMembers` accepts exactly the objects `JSONParser` accepts
/// (under the same limits), and `SourceSlots.object` gives, for every name in
/// `SourceMember.read`, what `source["name"]` gives on the full parse (the
/// last member of that name). The general path's readers of `source`
/// (`VersionSource`, `SourcePositions`, `IndexNameTemplate`,
/// `DocumentMapping`'s metadata, `ChangeEvent`'s accessors) may read only
/// names listed there; a new reader of another name must add it.
extension DocumentRouter {
    /// The `source` object at `start` (validated; inside `depth`
    /// containers) with where its members routing reads lie, and its end;
    /// `nil` when it is not a valid object ending by `limit` or a member name
    /// has an escape (then the general path decides).
    func sourceMembers(_ raw: UnsafeRawBufferPointer, at start: Int, limit: Int, depth: Int) -> (source: SourceSlots, end: Int)? {
        let scan = JSONValidator(raw, limits: decoder.limits)
        var cursor = start
        guard cursor < limit, raw[cursor] == UInt8(ascii: "{"), depth < decoder.limits.maxDepth else { return nil }
        var slots = SourceSlots(depth: depth + 1)
        cursor = scan.skipSpace(cursor + 1)
        guard cursor < limit else { return nil }
        if raw[cursor] == UInt8(ascii: "}") { return (slots, cursor + 1) }
        while true {
            guard cursor < limit, raw[cursor] == UInt8(ascii: "\""), let name = scan.skipString(cursor), !name.escaped
            else { return nil }
            let nameBytes = UnsafeRawBufferPointer(rebasing: raw[(cursor + 1)..<(name.end - 1)])
            cursor = scan.skipSpace(name.end)
            guard cursor < limit, raw[cursor] == UInt8(ascii: ":") else { return nil }
            let valueStart = scan.skipSpace(cursor + 1)
            guard valueStart < limit else { return nil }
            let end: Int
            if raw[valueStart] == UInt8(ascii: "\"") {
                guard let string = scan.skipString(valueStart), string.end <= limit else { return nil }
                if let slot = SourceMember.slot(nameBytes) {
                    slots.set(slot, valueStart..<string.end, plainString: !string.escaped)
                }
                end = string.end
            } else {
                guard let skipped = scan.skipValue(valueStart, depth: depth + 1), skipped <= limit else { return nil }
                if let slot = SourceMember.slot(nameBytes) { slots.set(slot, valueStart..<skipped, plainString: false) }
                end = skipped
            }
            cursor = scan.skipSpace(end)
            guard cursor < limit else { return nil }
            if raw[cursor] == UInt8(ascii: "}") { return (slots, cursor + 1) }
            guard raw[cursor] == UInt8(ascii: ",") else { return nil }
            cursor = scan.skipSpace(cursor + 1)
        }
    }
}

/// Where the members of a `source` block that routing reads lie in the
/// record: the last value of each name in `SourceMember.read`, validated.
///
/// Holds offsets, not bytes: it is read against the record it was found in
/// (`raw`), while the streaming route holds that record. Fixed-size, so
/// finding it allocates nothing.
struct SourceSlots {
    /// Containers around the block's values (for building them).
    let depth: Int
    /// Per slot (`SourceMember.read` index), where its value starts and
    /// ends; an end of 0 means the block has no such member. 32 bits: the
    /// streaming route takes records of up to `Int32.max` bytes (Kafka's own
    /// bound on a message).
    private var starts = SIMD16<Int32>(repeating: 0)
    private var ends = SIMD16<Int32>(repeating: 0)
    /// Slots whose value is a string without escapes.
    private var plainStrings: UInt16 = 0

    init(depth: Int) { self.depth = depth }

    mutating func set(_ slot: Int, _ range: Range<Int>, plainString: Bool) {
        starts[slot] = Int32(truncatingIfNeeded: range.lowerBound)
        ends[slot] = Int32(truncatingIfNeeded: range.upperBound)
        if plainString { plainStrings |= 1 << UInt16(slot) } else { plainStrings &= ~(1 << UInt16(slot)) }
    }

    /// Whether the block has a member for `slot`.
    func has(_ slot: Int) -> Bool { ends[slot] != 0 }

    /// The value of `slot` in `raw`, or `nil` when the block has none.
    func value(_ slot: Int, in raw: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer? {
        guard ends[slot] != 0 else { return nil }
        return UnsafeRawBufferPointer(rebasing: raw[Int(starts[slot])..<Int(ends[slot])])
    }

    /// The content of `slot` when it is a string without escapes (its bytes
    /// are then its text), else `nil`.
    func plainString(_ slot: Int, in raw: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer? {
        guard plainStrings & (1 << UInt16(slot)) != 0 else { return nil }
        return UnsafeRawBufferPointer(rebasing: raw[(Int(starts[slot]) + 1)..<(Int(ends[slot]) - 1)])
    }

    /// The block as the general path reads it: a member for each name it
    /// has, with the value the full parse gives `source["name"]`; `nil` only
    /// if a value fails to build, which a validated one does not.
    func object(in raw: UnsafeRawBufferPointer, limits: JSONLimits) -> JSONObject? {
        let scan = JSONValidator(raw, limits: limits)
        var object = JSONObject()
        object.reserveCapacity(SourceMember.typicallyRead)
        for slot in SourceMember.read.indices where ends[slot] != 0 {
            guard let value = scan.value(in: Int(starts[slot])..<Int(ends[slot]), depth: depth) else { return nil }
            object.append(key: SourceMember.read[slot], value: value)
        }
        return object
    }
}

/// The `source` member names any routing decision reads.
enum SourceMember {
    /// Connector and position (`VersionSource`, `SourcePositions`), index
    /// name (`IndexNameTemplate`) and metadata (`DocumentMapping`) fields.
    /// `slot` must recognise exactly these (a test holds them together), and
    /// they must fit `SourceSlots` (16).
    static let read: [String] = [
        "connector", "lsn", "ts_ms", "table", "collection", "db", "schema",
        "file", "pos", "row", "commit_lsn", "change_lsn", "scn", "commit_scn", "ord",
    ]

    /// Slots of `read` the streaming route reads from the bytes.
    static let connector = 0, lsn = 1, table = 3

    /// Room for the members one connector's `source` has among `read`
    /// (PostgreSQL: connector, ts_ms, db, schema, table, lsn), so the object
    /// is allocated once.
    static let typicallyRead = 8

    /// The index in `read` of the name `name` spells, or `nil`. A switch on
    /// the length first rules out most other members (`version`,
    /// `snapshot`, `sequence`) without a comparison.
    static func slot(_ name: UnsafeRawBufferPointer) -> Int? {
        switch name.count {
        case 2: return ByteEquality.equal(name, "db") ? 5 : nil
        case 3:
            if ByteEquality.equal(name, "lsn") { return 1 }
            if ByteEquality.equal(name, "pos") { return 8 }
            if ByteEquality.equal(name, "row") { return 9 }
            if ByteEquality.equal(name, "scn") { return 12 }
            return ByteEquality.equal(name, "ord") ? 14 : nil
        case 4: return ByteEquality.equal(name, "file") ? 7 : nil
        case 5:
            if ByteEquality.equal(name, "ts_ms") { return 2 }
            return ByteEquality.equal(name, "table") ? 3 : nil
        case 6: return ByteEquality.equal(name, "schema") ? 6 : nil
        case 9: return ByteEquality.equal(name, "connector") ? 0 : nil
        case 10:
            if ByteEquality.equal(name, "collection") { return 4 }
            if ByteEquality.equal(name, "commit_lsn") { return 10 }
            if ByteEquality.equal(name, "change_lsn") { return 11 }
            return ByteEquality.equal(name, "commit_scn") ? 13 : nil
        default: return nil
        }
    }
}
