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

    public var entries: [Entry]

    public init(entries: [Entry] = []) {
        self.entries = entries
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
