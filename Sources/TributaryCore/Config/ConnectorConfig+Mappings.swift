extension ConnectorConfig {
    /// Parses the keys of derived index mappings:
    ///
    /// | key | values | default |
    /// |---|---|---|
    /// | `index.mappings` | `none`, `derived` | `none` |
    /// | `decimal.mapping` | `scaled_float`, `double`, `keyword` | `scaled_float` |
    static func indexMappingOptions(_ values: inout ConfigValues) throws(ConfigError) -> IndexMappingOptions {
        IndexMappingOptions(
            mode: try values.choice(
                "index.mappings", default: .none,
                Dictionary(uniqueKeysWithValues: IndexMappingOptions.Mode.allCases.map { ($0.rawValue, $0) })),
            decimal: try values.choice(
                "decimal.mapping", default: .scaledFloat,
                Dictionary(uniqueKeysWithValues: IndexMappingOptions.DecimalMapping.allCases.map { ($0.rawValue, $0) })))
    }
}
