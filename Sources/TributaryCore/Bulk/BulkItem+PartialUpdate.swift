/// How a row with unavailable (unchanged TOASTed) columns is written (`toast.mode`).
public enum ToastMode: String, Sendable, Hashable, CaseIterable {
    /// A painless scripted `update` that merges the available columns only
    /// when the event's version is newer than the stored document's (the
    /// default; needs scripting, which OpenSearch has and osmem lacks).
    case script
    /// A plain partial `update` (`{"doc": …}`): works everywhere, but is not
    /// version-guarded — a replayed old update can overwrite newer columns
    /// until the row changes again.
    case update
}

extension BulkItem {
    /// The `_source` field where a scripted partial update records the
    /// event's version, because an update cannot set the document's external
    /// `_version` (OpenSearch only increments it).
    public static let sourceVersionField = "__source_version"

    /// The painless source of the guarded merge (`toast.mode=script`).
    ///
    /// The stored version is the larger of `_version` and `__source_version`;
    /// the update is a no-op (`ctx.op = 'none'`, result `noop`) when the event
    /// is older (or equal, unless `gte`) or the document is a soft-delete
    /// tombstone. Otherwise `doc` is merged, `remove` keys are removed and the
    /// version is recorded in `__source_version`.
    public static let guardedMergeScript =
        "long s = ctx._version; def sv = ctx._source['__source_version'];"
        + " if (sv instanceof Number && ((Number) sv).longValue() > s) { s = ((Number) sv).longValue(); }"
        + " if (params.version != null) { long v = ((Number) params.version).longValue();"
        + " if (ctx._source['__deleted'] == true || v < s || (v == s && params.gte != true)) { ctx.op = 'none'; } }"
        + " if (ctx.op != 'none') { ctx._source.putAll(params.doc); for (def k : params.remove) { ctx._source.remove(k); }"
        + " if (params.version != null) { ctx._source['__source_version'] = params.version; } }"

    /// Encodes an `update` that merges `document` (the available columns)
    /// into the stored document; `removing` lists columns to delete from it
    /// (null columns under `drop.null.fields`). There is no upsert: a missing
    /// document is not created half-empty (the item fails with 404
    /// `document_missing_exception`, which `OutcomeClassifier` counts as stale).
    public static func partialUpdate(
        _ index: String, id: String, version: ExternalVersion?, document: JSONObject, removing: [String] = [],
        mode: ToastMode, routing: String? = nil
    ) -> BulkItem {
        var writer = JSONWriter(capacity: 512)
        writer.writeRaw("{\"update\":{\"_index\":" as StaticString)
        writer.writeString(index)
        writer.writeRaw(",\"_id\":")
        writer.writeString(id)
        if let routing {
            writer.writeRaw(",\"routing\":")
            writer.writeString(routing)
        }
        writer.writeRaw(",\"retry_on_conflict\":3}}\n")
        switch mode {
        case .script:
            writer.writeRaw("{\"script\":{\"lang\":\"painless\",\"source\":")
            writer.writeString(guardedMergeScript)
            writer.writeRaw(",\"params\":{\"version\":")
            writer.writeRaw(version.map { String($0.value) } ?? "null")
            writer.writeRaw(",\"gte\":")
            writer.writeRaw(version?.type == .externalGTE ? "true" : "false")
            writer.writeRaw(",\"doc\":")
            writer.write(.object(document))
            writer.writeRaw(",\"remove\":")
            writer.write(.array(removing.map { .string($0) }))
            writer.writeRaw("}}}\n")
        case .update:
            var merged = document
            for key in removing { merged[key] = .null }
            writer.writeRaw("{\"doc\":")
            writer.write(.object(merged))
            writer.writeRaw("}\n")
        }
        return BulkItem(
            action: .update, index: index, id: id, version: version?.value, bytes: writer.bytes,
            versionType: version?.type ?? .external, routing: routing)
    }
}
