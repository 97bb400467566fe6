/// The converters a row needs, compiled once per distinct schema.
///
/// Only fields that need converting are listed, so applying the plan of a
/// row without logical types does nothing (`isEmpty`). Each entry remembers
/// the field's position in the schema: Debezium rows list their columns in
/// schema order, so the lookup is usually one comparison.
public struct RowPlan: Sendable, Hashable {
    public struct Entry: Sendable, Hashable {
        /// The column name.
        public var name: String
        /// The column's position in the schema, or -1 when unknown (hints).
        public var position: Int
        public var converter: ValueConverter
    }

    public var entries: [Entry] {
        didSet { lookup = EntryLookup(entries) }
    }

    /// Derived from `entries`, for `entryIndex(named:at:)`.
    private var lookup: EntryLookup

    public init(entries: [Entry] = []) {
        self.entries = entries
        self.lookup = EntryLookup(entries)
    }

    /// The index of the entry for the column `name` found at `position` in a
    /// row: the entry planned for that position when the names agree
    /// (Debezium keeps schema order), else the first entry of that name;
    /// `nil` when no entry has that name.
    ///
    /// Most columns of a row need no converting and have no entry; the
    /// lengths of the entries' names rule nearly all of them out without a
    /// comparison.
    func entryIndex(named name: UnsafeRawBufferPointer, at position: Int) -> Int? {
        if position >= 0, position < lookup.byPosition.count {
            let planned = lookup.byPosition[position]
            if planned >= 0, ByteEquality.equal(name, utf8Of: entries[planned].name) { return planned }
        }
        guard lookup.nameLengths & EntryLookup.lengthBit(name.count) != 0 else { return nil }
        return entries.firstIndex { ByteEquality.equal(name, utf8Of: $0.name) }
    }

    /// An empty plan leaves every row as it is.
    public var isEmpty: Bool { entries.isEmpty }

    /// Converts the planned members of `row` in place; members the plan does
    /// not name and planned members the row lacks are left alone.
    /// `path` prefixes field names in errors (`address.`).
    public func apply(to row: inout JSONObject, options: LogicalTypeOptions, path: String = "") throws(DecodeError) {
        for entry in entries {
            let position: Int
            if entry.position >= 0, entry.position < row.count, row.members[entry.position].key == entry.name {
                position = entry.position
            } else if let found = row.members.lastIndex(where: { $0.key == entry.name }) {
                position = found
            } else {
                continue
            }
            let converted = try entry.converter.apply(row.members[position].value, options: options, field: path + entry.name)
            row.setValue(converted, at: position)
        }
    }
}

/// `RowPlan`'s entries indexed for the per-column lookup.
private struct EntryLookup: Sendable, Hashable {
    /// The first entry planned at each schema position, or -1.
    var byPosition: [Int]
    /// `lengthBit` of every entry's name length.
    var nameLengths: UInt64

    init(_ entries: [RowPlan.Entry]) {
        let positions = entries.map(\.position).max() ?? -1
        var byPosition = [Int](repeating: -1, count: positions + 1)
        var nameLengths: UInt64 = 0
        for (index, entry) in entries.enumerated() {
            if entry.position >= 0, byPosition[entry.position] < 0 { byPosition[entry.position] = index }
            nameLengths |= Self.lengthBit(entry.name.utf8.count)
        }
        self.byPosition = byPosition
        self.nameLengths = nameLengths
    }

    /// One bit per name length below 63; longer names share bit 63.
    @inline(__always)
    static func lengthBit(_ count: Int) -> UInt64 { 1 << UInt64(min(count, 63)) }
}
