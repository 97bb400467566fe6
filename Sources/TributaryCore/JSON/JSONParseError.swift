/// Why bytes are not acceptable JSON, and where.
///
/// A parse error is permanent: the same bytes fail the same way, so retrying
/// cannot help. `byteOffset` is the zero-based offset of the first byte at
/// which the input stopped being valid (the input's length when it ended too
/// early); for `unpairedSurrogate` it is the backslash of the offending
/// `\u` escape, for `stringTooLong` the opening quote.
public struct JSONParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong; compare with the static codes, e.g. `error.code == .tooDeep`.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        fileprivate let name: String
        public var description: String { name }

        /// The input ended inside a value (or held no value at all).
        public static let unexpectedEnd = Code(name: "unexpected-end")
        /// A byte that cannot start or continue the value here.
        public static let unexpectedCharacter = Code(name: "unexpected-character")
        /// A malformed number: leading zero, missing digits, `-Infinity`.
        public static let invalidNumber = Code(name: "invalid-number")
        /// A backslash escape other than `\" \\ \/ \b \f \n \r \t \uXXXX`.
        public static let invalidEscape = Code(name: "invalid-escape")
        /// A `\u` escape naming half of a UTF-16 surrogate pair without the other half.
        public static let unpairedSurrogate = Code(name: "unpaired-surrogate")
        /// An unescaped byte below 0x20 inside a string.
        public static let controlCharacter = Code(name: "control-character")
        /// Bytes inside a string that are not well-formed UTF-8.
        public static let invalidUTF8 = Code(name: "invalid-utf8")
        /// Nesting deeper than `JSONLimits.maxDepth`.
        public static let tooDeep = Code(name: "too-deep")
        /// Something other than whitespace after the top-level value.
        public static let trailingData = Code(name: "trailing-data")
        /// A string longer than `JSONLimits.maxStringBytes`.
        public static let stringTooLong = Code(name: "string-too-long")
        /// An input larger than `JSONLimits.maxInputBytes`.
        public static let inputTooLarge = Code(name: "input-too-large")
    }

    public var code: Code
    /// Zero-based offset into the input; see the type's documentation.
    public var byteOffset: Int
    /// The byte at `byteOffset`, or `nil` when the input ended there.
    public var byte: UInt8?

    public init(code: Code, byteOffset: Int, byte: UInt8? = nil) {
        self.code = code
        self.byteOffset = byteOffset
        self.byte = byte
    }

    /// For example `invalid JSON at byte 17: unexpected character 'x'`.
    public var description: String {
        "invalid JSON at byte \(byteOffset): \(message)"
    }

    private var message: String {
        let found = byte.map(Self.describe) ?? "end of input"
        switch code {
        case .unexpectedEnd: return "unexpected end of input"
        case .unexpectedCharacter: return "unexpected character \(found)"
        case .invalidNumber: return "invalid number (unexpected \(found))"
        case .invalidEscape: return "invalid escape sequence (unexpected \(found))"
        case .unpairedSurrogate: return "unpaired UTF-16 surrogate in \\u escape"
        case .controlCharacter: return "unescaped control character \(found) in string"
        case .invalidUTF8: return "invalid UTF-8 byte \(found) in string"
        case .tooDeep: return "arrays and objects nested deeper than the depth limit"
        case .trailingData: return "unexpected data after the JSON value (\(found))"
        case .stringTooLong: return "string longer than the length limit"
        case .inputTooLarge: return "input larger than the size limit"
        default: return code.description
        }
    }

    /// `'x'` for printable ASCII, `0xC3` for anything else.
    private static func describe(_ byte: UInt8) -> String {
        if byte >= 0x21, byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        let hex = String(byte, radix: 16, uppercase: true)
        return byte < 0x10 ? "0x0\(hex)" : "0x\(hex)"
    }
}
