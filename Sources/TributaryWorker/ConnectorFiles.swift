import Foundation
public import TributaryCore
import TributaryKafka

/// Loads connector files from disk.
public enum ConnectorFiles {
    /// The connectors at `path`: one connector file, or every `*.json` file in
    /// a folder (sorted by name). Each is parsed and validated; the first
    /// problem throws, naming the file and the key.
    public static func load(path: String, environment: [String: String]? = nil) throws(ConfigError) -> [ConnectorConfig] {
        let environment = environment ?? ProcessInfo.processInfo.environment
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ConfigError(key: nil, "config path '\(path)' does not exist")
        }
        var files: [String] = [path]
        if isDirectory.boolValue {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
            files = names.filter { $0.hasSuffix(".json") }.sorted().map { (path as NSString).appendingPathComponent($0) }
            guard !files.isEmpty else { throw ConfigError(key: nil, "folder '\(path)' holds no *.json connector files") }
        }
        let substitution = Substitution(
            environment: { environment[$0] },
            readFile: { path in try String(contentsOfFile: path, encoding: .utf8) }
        )
        var configs: [ConnectorConfig] = []
        var names: Set<String> = []
        for file in files {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw ConfigError(key: nil, "cannot read '\(file)'")
            }
            let fallback = ((file as NSString).lastPathComponent as NSString).deletingPathExtension
            let config: ConnectorConfig
            do {
                config = try ConnectorConfig.parse([UInt8](data), substitution: substitution, fallbackName: fallback)
            } catch {
                var error = error
                error.message += " (in \(file))"
                throw error
            }
            do {
                try KafkaConfiguration.validate(config.kafka)
            } catch {
                // librdkafka names the property; the connector file says kafka.<property>.
                let shown = ConnectorConfig.isSecretKey(error.property) ? "rejected the value" : error.message
                throw ConfigError(key: "kafka.\(error.property)", "librdkafka: \(shown) (in \(file))", connector: config.name)
            }
            guard names.insert(config.name).inserted else {
                throw ConfigError(key: "name", "two connector files use the name '\(config.name)' (\(file))")
            }
            configs.append(config)
        }
        return configs
    }
}
