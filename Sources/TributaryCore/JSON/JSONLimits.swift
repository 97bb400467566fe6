/// Bounds that `JSONParser` enforces, so hostile or broken input fails with a
/// `JSONParseError` instead of exhausting memory or the stack.
public struct JSONLimits: Sendable, Hashable {
    /// The deepest nesting of arrays and objects accepted; a top-level
    /// container is depth 1, so `0` admits only scalars. Default 256.
    ///
    /// The parser itself is iterative, but `JSONValue`s are compared, hashed,
    /// written and destroyed recursively: this limit is what keeps every
    /// consumer of a parsed value safe from stack exhaustion. Keep it modest.
    public var maxDepth: Int
    /// The longest string accepted, counted in bytes as written between the
    /// quotes (an escape counts as its written length); `nil` for no limit.
    public var maxStringBytes: Int?
    /// The largest input accepted, in bytes; `nil` for no limit.
    public var maxInputBytes: Int?

    public init(maxDepth: Int = 256, maxStringBytes: Int? = nil, maxInputBytes: Int? = nil) {
        self.maxDepth = maxDepth
        self.maxStringBytes = maxStringBytes
        self.maxInputBytes = maxInputBytes
    }
}
