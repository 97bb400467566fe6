import Testing
@testable import TributaryCore

@Suite("Connector files: index.mappings and decimal.mapping")
struct IndexMappingConfigTests {
    func parse(_ settings: String) throws(ConfigError) -> ConnectorConfig {
        try parseTestConnector(settings)
    }

    @Test("defaults: no derived mappings; scaled_float decimals")
    func defaults() throws {
        #expect(try parse("").routing.indexMappings == IndexMappingOptions(mode: .none, decimal: .scaledFloat))
    }

    @Test("every value parses", arguments: [
        (#""index.mappings":"derived""#, IndexMappingOptions(mode: .derived)),
        (#""index.mappings":"NONE","decimal.mapping":"double""#, IndexMappingOptions(mode: .none, decimal: .double)),
        (#""index.mappings":"derived","decimal.mapping":"keyword""#, IndexMappingOptions(mode: .derived, decimal: .keyword)),
        (#""decimal.mapping":"scaled_float""#, IndexMappingOptions()),
    ])
    func values(settings: String, expected: IndexMappingOptions) throws {
        #expect(try parse(settings).routing.indexMappings == expected)
    }

    @Test("a wrong value names the key", arguments: [
        (#""index.mappings":"dynamic""#, "index.mappings"),
        (#""decimal.mapping":"float""#, "decimal.mapping"),
    ])
    func wrong(settings: String, key: String) {
        let error = #expect(throws: ConfigError.self) { try parse(settings) }
        #expect(error?.key == key)
    }
}
