import TributaryCore

/// Parses a connector file whose `config` holds the required keys plus `settings`
/// (a JSON fragment of more key/value pairs), with no environment or files.
func parseTestConnector(_ settings: String) throws(ConfigError) -> ConnectorConfig {
    let text = #"{"name":"c","config":{"topics":"a","kafka.bootstrap.servers":"k:9092","connection.url":"http://os:9200""#
        + (settings.isEmpty ? "" : "," + settings) + "}}"
    return try ConnectorConfig.parse(Array(text.utf8), substitution: Substitution(environment: { _ in nil }, readFile: { _ in "" }))
}
