/// Decodes values written by Debezium's ExtractNewRecordState SMT: the row
/// itself, plus `__`-prefixed metadata from `add.fields` and
/// `delete.tombstone.handling.mode=rewrite` (`__deleted: "true"`).
///
/// Metadata members are taken out of the row into `ChangeEvent.metadata`;
/// those naming source fields also fill `ChangeEvent.source`, so versions and
/// index templates work as for envelopes: `__source_ts_ms` → `source.ts_ms`,
/// `__lsn` → `source.lsn`, `__table`, `__db`, `__file`, `__pos`, … →
/// `source.*`; `__ts_ms` is the event time; `__transaction_*` is kept only as
/// metadata. The operation is a delete when `__deleted` is `"true"` (or
/// `true`) or `__op` is `d`; then the row is the `before` image. Otherwise
/// `__op` (`c`, `r`, `u`, `t`) or, without it, `c`.
enum FlattenedRow {
    /// Whether an auto-detected value is a flattened row: it carries
    /// `__deleted` or `__op` and is not an envelope (`op` beside `before`,
    /// `after` or `source`).
    static func looksFlattened(_ payload: JSONObject) -> Bool {
        var marked = false
        var envelopeOp = false
        var envelopeParts = false
        for member in payload {
            switch member.key {
            case "__deleted", "__op": marked = true
            case "op": envelopeOp = true
            case "before", "after", "source": envelopeParts = true
            default: break
            }
        }
        return marked && !(envelopeOp && envelopeParts)
    }

    static func decode(_ payload: JSONObject, schema: JSONObject?) -> DecodedValue {
        var row = JSONObject()
        row.reserveCapacity(payload.count)
        var metadata = JSONObject()
        var source = JSONObject()
        var operation: ChangeOperation?
        var deleted = false
        var timestampMs: Int64?
        for member in payload {
            let utf8 = member.key.utf8
            guard utf8.count > 2, utf8.first == UInt8(ascii: "_"), utf8.dropFirst().first == UInt8(ascii: "_") else {
                row.append(key: member.key, value: member.value)
                continue
            }
            metadata.append(key: member.key, value: member.value)
            let name = String(member.key.dropFirst(2))
            switch name {
            case "deleted":
                deleted = member.value.stringValue == "true" || member.value.boolValue == true
            case "op":
                operation = member.value.stringValue.flatMap(ChangeOperation.init(rawValue:))
            case "ts_ms":
                timestampMs = member.value.numberValue?.int64
            default:
                if name.hasPrefix("source_") {
                    source.append(key: String(name.dropFirst("source_".count)), value: member.value)
                } else if !name.hasPrefix("transaction_") {
                    source.append(key: name, value: member.value)
                }
            }
        }
        if deleted { operation = .delete }
        let isDelete = operation == .delete
        let event = ChangeEvent(
            operation: operation ?? .create,
            before: isDelete ? row : nil,
            after: isDelete ? nil : row,
            source: source.isEmpty ? nil : source,
            timestampMs: timestampMs,
            schema: schema,
            isFlattened: true,
            metadata: metadata.isEmpty ? nil : metadata
        )
        switch event.operation {
        case .truncate: return .truncate(event)
        case .message: return .control(kind: "logical-message")
        default: return .change(event)
        }
    }
}
