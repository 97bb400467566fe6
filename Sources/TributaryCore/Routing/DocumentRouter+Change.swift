extension DocumentRouter {
    /// The bulk item for a row change (`c`, `r`, `u`, `d`, flattened or not).
    func routeChange(_ event: ChangeEvent, topic: String, offset: Int64, key: [UInt8]?) throws(DecodeError) -> BulkItem {
        let isMongo = event.connector == "mongodb"
        guard let recordKey = try decodeKey(key, mongo: isMongo) else {
            throw DecodeError(.missingKey, "record has no key; cannot derive a document id (does the table have a primary key?)")
        }
        let id = try DocumentID.make(from: recordKey, delimiter: mapping.keyDelimiter)
        let index = try index(topic: topic, source: event.source)
        let version = try versionSource.externalVersion(of: event, offset: offset)

        if event.operation == .delete {
            return try routeDelete(event, key: recordKey, index: index, id: id, version: version)
        }
        guard var row = event.after else {
            throw DecodeError(.missingRow, "op '\(event.operation.rawValue)' event has no 'after' row")
        }
        if isMongo, case .object(let plain) = MongoExtendedJSON.plain(.object(row), options: mapping.logicalTypes) {
            row = plain
        }
        let unavailable = UnavailableValue.removeUnavailable(from: &row)
        try convertLogicalTypes(&row, schema: event.rowSchema)
        let (document, droppedNulls) = mapping.document(
            from: row, event: event, version: version, softDelete: deleteMode == .soft && unavailable.isEmpty)
        let routing = try mapping.routingField.map { (field: String) throws(DecodeError) in
            guard let value = routingValue(field, in: document) ?? routingValue(field, in: keyDocument(recordKey)) else {
                throw DecodeError(.missingRouting, "the row has no value in '\(field)' for routing.field")
            }
            return value
        }
        if unavailable.isEmpty {
            return .index(
                index, id: id, version: version?.value, document: document, pipeline: pipeline,
                versionType: version?.type ?? .external, routing: routing)
        }
        return .partialUpdate(
            index, id: id, version: version, document: document, removing: droppedNulls, mode: toastMode, routing: routing)
    }

    /// A hard delete, or under `delete.mode=soft` a versioned tombstone document.
    private func routeDelete(
        _ event: ChangeEvent, key: RecordKey, index: String, id: String, version: ExternalVersion?
    ) throws(DecodeError) -> BulkItem {
        let keyFields = keyDocument(key)
        let routing = try mapping.routingField.map { (field: String) throws(DecodeError) in
            if let value = routingValue(field, in: keyFields) { return value }
            if var before = event.before {
                let schema = event.isFlattened ? event.schema : event.schema.flatMap { LogicalSchema.fieldSchema("before", in: $0) }
                try convertLogicalTypes(&before, schema: schema)
                if let value = routingValue(field, in: mapping.document(from: before, event: event, version: nil, softDelete: false).document) {
                    return value
                }
            }
            throw DecodeError(
                .missingRouting,
                "the delete has no '\(field)' in its key or before image for routing.field; make the routing field a key column")
        }
        switch deleteMode {
        case .hard:
            return .delete(index, id: id, version: version?.value, versionType: version?.type ?? .external, routing: routing)
        case .soft:
            var tombstone = keyFields
            mapping.appendMetadata(to: &tombstone, event: event, version: version)
            tombstone["__deleted"] = .bool(true)
            return .index(
                index, id: id, version: version?.value, document: tombstone, pipeline: pipeline,
                versionType: version?.type ?? .external, routing: routing)
        }
    }

    /// Converts logical-typed columns: by the row's schema when it has one
    /// (compiled once per distinct schema), else by the `field.types` hints.
    func convertLogicalTypes(_ row: inout JSONObject, schema: JSONObject?) throws(DecodeError) {
        let plan: RowPlan
        if let schema, schema["fields"] != nil {
            plan = plans.plan(for: schema)
        } else {
            plan = mapping.fieldTypes
        }
        if plan.isEmpty { return }
        try plan.apply(to: &row, options: mapping.logicalTypes)
    }

    /// The key columns as document fields (renamed; a scalar key has none).
    func keyDocument(_ key: RecordKey) -> JSONObject {
        var fields = JSONObject()
        for column in key.columns where !column.name.isEmpty {
            fields.append(key: mapping.fieldName(column.name), value: column.value)
        }
        return fields
    }

    /// The text of `document[field]` for `_routing`, or `nil` when absent or null.
    func routingValue(_ field: String, in document: JSONObject) -> String? {
        switch document[field] {
        case .string(let text)?: text.isEmpty ? nil : text
        case .number(let number)?: number.text
        case .bool(let flag)?: flag ? "true" : "false"
        default: nil
        }
    }

    /// Decodes a message key: logical types converted by the key's schema
    /// (a Decimal key becomes `1200.00`, not its base64), and a MongoDB key's
    /// Extended-JSON `id` (`{"$oid": "65bc…"}`) turned into the plain id.
    /// `mongo` says the value came from the MongoDB connector; without it a
    /// single `id` column holding a `{"$…": …}` object text is still recognized.
    func decodeKey(_ bytes: [UInt8]?, mongo: Bool) throws(DecodeError) -> RecordKey? {
        guard let bytes, !bytes.isEmpty else { return nil }
        var json: JSONValue
        do {
            json = try decoder.parse(bytes)
        } catch {
            throw DecodeError(.malformedKey, "key is not valid JSON: \(error)")
        }
        if case .object(let wrapper) = json, wrapper.keys.allSatisfy({ $0 == "payload" || $0 == "schema" }),
            let schema = wrapper["schema"]?.objectValue, schema["fields"] != nil,
            case .object(var columns)? = wrapper["payload"]
        {
            let plan = plans.plan(for: schema)
            if !plan.isEmpty {
                try plan.apply(to: &columns, options: mapping.logicalTypes)
                json = .object(["payload": .object(columns)])
            }
        }
        guard var key = try RecordKey.decode(json) else { return nil }
        if key.columns.count == 1, key.columns[0].name == "id", case .string(let text) = key.columns[0].value,
            mongo || text.hasPrefix("{\"$"),
            let id = MongoExtendedJSON.documentID(fromKeyText: text)
        {
            key.columns[0].value = .string(id)
        }
        return key
    }
}
