/// Resolves `${env:NAME}` and `${file:PATH}` references in config values, so
/// that secrets stay out of connector files.
///
/// - `${env:NAME}`: the environment variable; an unset variable is an error.
/// - `${file:PATH}`: the file's contents without a trailing newline.
/// - `${file:PATH:KEY}`: KEY from a Java-style properties file (the Kafka
///   Connect FileConfigProvider form).
/// - `$${…}` stands for a literal `${…}`.
public struct Substitution: Sendable {
    /// Looks up an environment variable.
    public var environment: @Sendable (String) -> String?
    /// Reads a whole file as UTF-8 text; throws a message on failure.
    public var readFile: @Sendable (String) throws -> String

    public init(environment: @escaping @Sendable (String) -> String?, readFile: @escaping @Sendable (String) throws -> String) {
        self.environment = environment
        self.readFile = readFile
    }

    /// `value` with every reference resolved; errors name `key`.
    public func resolve(_ value: String, key: String) throws(ConfigError) -> String {
        guard value.contains("${") else { return value }
        var out = ""
        var rest = Substring(value)
        while let start = rest.firstRange(of: "${") {
            if start.lowerBound > rest.startIndex, rest[rest.index(before: start.lowerBound)] == "$" {
                // `$${` is an escaped literal.
                out += rest[..<rest.index(before: start.lowerBound)]
                out += "${"
                rest = rest[start.upperBound...]
                continue
            }
            out += rest[..<start.lowerBound]
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else {
                throw ConfigError(key: key, "unterminated ${…} reference")
            }
            out += try lookup(String(rest[start.upperBound..<end]), key: key)
            rest = rest[rest.index(after: end)...]
        }
        return out + rest
    }

    private func lookup(_ reference: String, key: String) throws(ConfigError) -> String {
        if reference.hasPrefix("env:") {
            let name = String(reference.dropFirst(4))
            guard let value = environment(name) else {
                throw ConfigError(key: key, "refers to environment variable '\(name)', which is not set")
            }
            return value
        }
        if reference.hasPrefix("file:") {
            let spec = String(reference.dropFirst(5))
            if let whole = try? readFile(spec) { return whole.droppingTrailingNewline }
            if let colon = spec.lastIndex(of: ":"), colon != spec.startIndex {
                let path = String(spec[..<colon])
                let property = String(spec[spec.index(after: colon)...])
                if let text = try? readFile(path) {
                    guard let value = Self.property(property, in: text) else {
                        throw ConfigError(key: key, "file '\(path)' has no property '\(property)'")
                    }
                    return value
                }
            }
            throw ConfigError(key: key, "refers to file '\(spec)', which cannot be read")
        }
        throw ConfigError(key: key, "unknown reference '${\(reference)}'; use ${env:NAME} or ${file:PATH}")
    }

    /// The value of `name` in Java properties text (`name=value` or `name: value`).
    static func property(_ name: String, in text: String) -> String? {
        for rawLine in text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }) {
            let line = String(rawLine).trimmingASCIISpaces
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix("!") { continue }
            guard let separator = line.firstIndex(where: { $0 == "=" || $0 == ":" }) else { continue }
            if String(line[..<separator]).trimmingASCIISpaces == name {
                return String(line[line.index(after: separator)...]).trimmingASCIISpaces
            }
        }
        return nil
    }
}

extension String {
    var droppingTrailingNewline: String {
        var text = self
        while let last = text.last, last.isNewline { text.removeLast() }
        return text
    }
}
