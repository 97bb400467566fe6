/// What to do with a record whose value is null (`behavior.on.null.values`).
///
/// Debezium writes a tombstone after every delete so that log compaction can
/// drop the key; the delete event itself (`op=d`) is authoritative, so the
/// default ignores tombstones.
public enum NullValueBehavior: String, Sendable, Hashable, CaseIterable {
    /// Confirm the record without writing anything (the default).
    case ignore
    /// Delete the document with the record key's id (unversioned unless
    /// `version.source=kafka.offset`, because a tombstone has no source position).
    case delete
    /// Stop the connector with an error.
    case fail
}
