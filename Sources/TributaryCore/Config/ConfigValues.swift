/// The raw `config` map of a connector file with typed, key-naming accessors.
///
/// Kafka Connect configs hold only strings, so every accessor accepts a JSON
/// string as well as the native JSON type. Every key read is remembered, so
/// that keys nobody read can be reported as unknown.
struct ConfigValues {
    private(set) var values: [String: String]
    private(set) var read: Set<String> = []

    init(values: [String: String]) {
        self.values = values
    }

    var keys: Dictionary<String, String>.Keys { values.keys }

    mutating func markRead(_ key: String) { read.insert(key) }

    /// The value of `key`; empty strings count as absent.
    mutating func string(_ key: String) -> String? {
        read.insert(key)
        guard let value = values[key], !value.isEmpty else { return nil }
        return value
    }

    mutating func requiredString(_ key: String, _ hint: String) throws(ConfigError) -> String {
        guard let value = string(key) else { throw ConfigError(key: key, "is required; \(hint)") }
        return value
    }

    mutating func int(_ key: String, default defaultValue: Int, range: ClosedRange<Int>) throws(ConfigError) -> Int {
        guard let text = string(key) else { return defaultValue }
        guard let value = Int(text.trimmingASCIISpaces) else {
            throw ConfigError(key: key, "expected an integer, got '\(text)'")
        }
        guard range.contains(value) else {
            throw ConfigError(key: key, "\(value) is out of range; expected \(range.lowerBound)...\(range.upperBound)")
        }
        return value
    }

    mutating func bool(_ key: String, default defaultValue: Bool) throws(ConfigError) -> Bool {
        guard let text = string(key) else { return defaultValue }
        switch text.trimmingASCIISpaces.lowercased() {
        case "true": return true
        case "false": return false
        default: throw ConfigError(key: key, "expected true or false, got '\(text)'")
        }
    }

    mutating func choice<T>(_ key: String, default defaultValue: T, _ options: [String: T]) throws(ConfigError) -> T {
        guard let text = string(key) else { return defaultValue }
        guard let value = options[text.trimmingASCIISpaces.lowercased()] else {
            throw ConfigError(key: key, "unknown value '\(text)'; use one of \(options.keys.sorted().joined(separator: ", "))")
        }
        return value
    }

    /// A comma-separated list with blanks removed.
    mutating func list(_ key: String) -> [String]? {
        guard let text = string(key) else { return nil }
        let items = text.split(separator: ",").map { String($0).trimmingASCIISpaces }.filter { !$0.isEmpty }
        return items.isEmpty ? nil : items
    }
}

extension String {
    /// The string without leading and trailing ASCII spaces, tabs and newlines.
    var trimmingASCIISpaces: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}
