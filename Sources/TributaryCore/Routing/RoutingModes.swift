/// How a source delete reaches the index (`delete.mode`).
public enum DeleteMode: String, Sendable, Hashable, CaseIterable {
    /// A versioned bulk `delete` (the default). OpenSearch remembers a
    /// deleted document's version only for `index.gc_deletes` (60 s): an
    /// older event replayed after that re-creates the document.
    case hard
    /// A versioned tombstone document (`{"<key columns>": …, "__deleted": true}`)
    /// indexed in place of the row, so an older replayed insert is refused
    /// with a 409 for ever. Live documents carry `"__deleted": false`;
    /// readers filter with `must_not: {term: {__deleted: true}}` (a filtered alias).
    case soft
}

/// What a source TRUNCATE (`op=t`) does (`truncate.mode`).
public enum TruncateMode: String, Sendable, Hashable, CaseIterable {
    /// Skip it (the default; the worker logs it).
    case ignore
    /// Delete every document of the target index: the router returns
    /// `Decision.deleteAll(index:)`.
    case deleteAll = "delete_all"
}
