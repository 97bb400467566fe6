extension ConnectorConfig {
    /// Parses the keys that shape documents and bulk operations:
    ///
    /// | key | values | default |
    /// |---|---|---|
    /// | `index.name` | template with `${topic}`, `${source.db}`, `${source.schema}`, `${source.table}` | source table |
    /// | `topic.index.map` | `topic:index,…` (wins over `index.name`) | — |
    /// | `version.source` | `auto`, `source.lsn`, `binlog`, `commit_lsn`, `scn`, `oplog`, `ts_ms`, `field:NAME`, `kafka.offset`, `none` | `auto` |
    /// | `behavior.on.null.values` | `ignore`, `delete`, `fail` | `ignore` |
    /// | `pipeline` | ingest pipeline name | — |
    /// | `value.format` | `auto`, `envelope`, `flattened` | `auto` |
    /// | `decimal.format` | `number`, `string` | `number` |
    /// | `field.types` | `column:type,…` for schemaless rows | — |
    /// | `fields.include` / `fields.exclude` | column lists | all / none |
    /// | `fields.rename` | `old:new,…` | — |
    /// | `drop.null.fields` | `true`, `false` | `false` |
    /// | `metadata.fields` | `op,lsn,source_ts_ms,ts_ms,table,db,schema,connector,version` | — |
    /// | `metadata.prefix` | field name prefix | `__` |
    /// | `flattened.keep.metadata` | `true`, `false` | `false` |
    /// | `routing.field` | document field for `_routing` | — |
    /// | `key.delimiter` | joins composite key columns | `\|` |
    /// | `delete.mode` | `hard`, `soft` | `hard` |
    /// | `truncate.mode` | `ignore`, `delete_all` | `ignore` |
    /// | `toast.mode` | `script`, `update` | `script` |
    /// | `index.mappings`, `decimal.mapping` | see `indexMappingOptions` | `none`, `scaled_float` |
    static func routingSettings(_ values: inout ConfigValues) throws(ConfigError) -> RoutingSettings {
        let indexName = try values.string("index.name").map { (text: String) throws(ConfigError) in try IndexNameTemplate(parsing: text) }
        var routing = RoutingSettings(
            indexName: indexName ?? .tableOrTopic,
            versionSource: try values.string("version.source").map { (text: String) throws(ConfigError) in
                try VersionSource(parsing: text.trimmingASCIISpaces)
            } ?? .auto,
            nullValues: try values.choice(
                "behavior.on.null.values", default: .ignore,
                Dictionary(uniqueKeysWithValues: NullValueBehavior.allCases.map { ($0.rawValue, $0) })),
            pipeline: values.string("pipeline")
        )
        routing.topicIndexMap = try pairs(&values, "topic.index.map")
        for (topic, index) in routing.topicIndexMap {
            if let problem = IndexNameTemplate.problem(with: index) {
                throw ConfigError(key: "topic.index.map", "index '\(index)' for topic '\(topic)' \(problem)")
            }
        }
        routing.valueFormat = try enumChoice(&values, "value.format", default: .auto)
        routing.deleteMode = try enumChoice(&values, "delete.mode", default: .hard)
        routing.truncateMode = try enumChoice(&values, "truncate.mode", default: .ignore)
        routing.toastMode = try enumChoice(&values, "toast.mode", default: .script)
        routing.indexMappings = try indexMappingOptions(&values)

        var mapping = DocumentMapping()
        mapping.logicalTypes.decimalFormat = try enumChoice(&values, "decimal.format", default: .number)
        if let hints = values.string("field.types") { mapping.fieldTypes = try FieldTypeHints.parse(hints) }
        mapping.include = values.list("fields.include").map(Set.init)
        mapping.exclude = Set(values.list("fields.exclude") ?? [])
        mapping.rename = try pairs(&values, "fields.rename")
        mapping.dropNulls = try values.bool("drop.null.fields", default: false)
        mapping.keepFlattenedMetadata = try values.bool("flattened.keep.metadata", default: false)
        mapping.metadataPrefix = values.string("metadata.prefix") ?? "__"
        for name in values.list("metadata.fields") ?? [] {
            guard let field = DocumentMapping.MetadataField(rawValue: name.lowercased()) else {
                let names = DocumentMapping.MetadataField.allCases.map(\.rawValue).joined(separator: ", ")
                throw ConfigError(key: "metadata.fields", "unknown field '\(name)'; use any of \(names)")
            }
            if !mapping.metadataFields.contains(field) { mapping.metadataFields.append(field) }
        }
        mapping.routingField = values.string("routing.field")?.trimmingASCIISpaces
        if let delimiter = values.string("key.delimiter") {
            guard !delimiter.contains("\\") else {
                throw ConfigError(key: "key.delimiter", "must not contain a backslash (it escapes the delimiter inside key values)")
            }
            mapping.keyDelimiter = delimiter
        }
        routing.mapping = mapping
        return routing
    }

    /// A `raw value → case` option for a `String`-backed enum.
    private static func enumChoice<T: RawRepresentable & CaseIterable>(
        _ values: inout ConfigValues, _ key: String, default defaultValue: T
    ) throws(ConfigError) -> T where T.RawValue == String {
        try values.choice(key, default: defaultValue, Dictionary(uniqueKeysWithValues: T.allCases.map { ($0.rawValue, $0) }))
    }

    /// `a:b,c:d` as a map; the error names `key`.
    private static func pairs(_ values: inout ConfigValues, _ key: String) throws(ConfigError) -> [String: String] {
        var map: [String: String] = [:]
        for item in values.list(key) ?? [] {
            guard let colon = item.lastIndex(of: ":") else { throw ConfigError(key: key, "'\(item)' must be from:to") }
            let from = String(item[..<colon]).trimmingASCIISpaces
            let to = String(item[item.index(after: colon)...]).trimmingASCIISpaces
            guard !from.isEmpty, !to.isEmpty else { throw ConfigError(key: key, "'\(item)' must be from:to with both sides set") }
            guard map[from] == nil else { throw ConfigError(key: key, "'\(from)' is listed twice") }
            map[from] = to
        }
        return map
    }
}
