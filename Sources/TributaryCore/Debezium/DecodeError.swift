/// Why a Kafka record could not be turned into a change event.
///
/// A decode error is permanent for that record (retrying cannot help): the
/// record is a poison pill and goes to the dead-letter queue.
public struct DecodeError: Error, Sendable, Hashable, CustomStringConvertible {
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        fileprivate let name: String
        public var description: String { name }

        /// The value bytes are not valid JSON.
        public static let malformedValue = Code(name: "malformed-value")
        /// The key bytes are not valid JSON.
        public static let malformedKey = Code(name: "malformed-key")
        /// The value is JSON but not a Debezium envelope.
        public static let notAnEnvelope = Code(name: "not-an-envelope")
        /// `op` is missing or not one of c, r, u, d, t, m.
        public static let unknownOperation = Code(name: "unknown-operation")
        /// A required part of the event (`after` on c/r/u) is missing.
        public static let missingRow = Code(name: "missing-row")
        /// No document id can be derived (null or empty key and no key columns).
        public static let missingKey = Code(name: "missing-key")
        /// The external version cannot be derived from the event.
        public static let missingVersion = Code(name: "missing-version")
        /// The index name cannot be derived or is invalid.
        public static let invalidIndexName = Code(name: "invalid-index-name")
        /// A null value where `behavior.on.null.values=fail`.
        public static let nullValue = Code(name: "null-value")
        /// A value of a logical type (Decimal, a temporal type, geometry, …) is
        /// not in the form its schema or `field.types` hint says.
        public static let invalidLogicalValue = Code(name: "invalid-logical-value")
        /// `routing.field` is set but the record has no value for it.
        public static let missingRouting = Code(name: "missing-routing")
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The value used for the `__connect.errors.exception.class.name` DLQ header.
    public var className: String { "tributary.DecodeError.\(code)" }

    public var description: String { "\(code): \(message)" }
}
