/// A configuration problem, naming the key it is about.
public struct ConfigError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The offending key (`batch.size`), or `nil` for a file-level problem.
    public var key: String?
    /// What is wrong and, where it helps, what is expected.
    public var message: String
    /// The connector (file) the problem is in, once known.
    public var connector: String?

    public init(key: String?, _ message: String, connector: String? = nil) {
        self.key = key
        self.message = message
        self.connector = connector
    }

    public var description: String {
        var text = ""
        if let connector { text += "connector '\(connector)': " }
        if let key { text += "'\(key)': " }
        return text + message
    }
}
