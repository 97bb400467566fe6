extension DocumentRouter {
    /// The mappings (`{"properties": {…}}`) `index.mappings=derived` gives a
    /// new index, derived from the row schema of the record value `value`
    /// under this router's document mapping and delete mode; `nil` when the
    /// record has no row schema (schemaless JSON, a tombstone, a truncate or
    /// control event, a MongoDB row) or the value does not decode.
    public func derivedMappings(value: [UInt8]?, decimal: IndexMappingOptions.DecimalMapping) -> JSONObject? {
        guard case .change(let event)? = try? decoder.decode(value: value), let rowSchema = event.rowSchema else { return nil }
        let builder = IndexMappingBuilder(decimal: decimal, mapping: mapping, deleteMode: deleteMode)
        return builder.mappings(rowSchema: rowSchema, flattened: event.isFlattened)
    }
}
