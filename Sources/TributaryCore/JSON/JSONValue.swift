/// A parsed JSON value.
///
/// Numbers keep their literal text (`JSONNumber`), so a decimal such as
/// `1200.00` or an integer beyond 2^53 survives a round trip unchanged: the
/// sink never routes a number through binary floating point.
/// Objects keep their members in document order (`JSONObject`).
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case number(JSONNumber)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)
}

/// A JSON number as it was written, for example `-12.50e3`.
///
/// Invariant: `text` is a valid JSON number literal (RFC 8259 §6).
public struct JSONNumber: Sendable, Hashable, CustomStringConvertible {
    /// The literal, exactly as it appears in JSON.
    public let text: String

    /// Wraps a literal that the caller guarantees is a valid JSON number.
    public init(unchecked text: String) { self.text = text }

    public init(_ value: Int64) { self.text = String(value) }
    public init(_ value: UInt64) { self.text = String(value) }
    public init(_ value: Int) { self.text = String(value) }

    /// The value as a signed 64-bit integer when the literal is an integer in range.
    public var int64: Int64? { Int64(text) }
    /// The value as an unsigned 64-bit integer when the literal is a non-negative integer in range.
    public var uint64: UInt64? { UInt64(text) }
    /// The value as a `Double` (lossy; never used for document values).
    public var double: Double? { Double(text) }

    public var description: String { text }
}

/// A JSON object whose members keep their document order.
///
/// Lookups are linear: Debezium rows and envelopes have tens of members, for
/// which a scan beats hashing. Duplicate keys keep the last value on lookup,
/// as most JSON parsers do.
public struct JSONObject: Sendable, Hashable, Sequence, ExpressibleByDictionaryLiteral {
    public typealias Member = (key: String, value: JSONValue)

    public private(set) var members: [Member]

    public init() { self.members = [] }
    public init(_ members: [Member]) { self.members = members }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.members = elements.map { (key: $0.0, value: $0.1) }
    }

    public var count: Int { members.count }
    public var isEmpty: Bool { members.isEmpty }
    public var keys: [String] { members.map(\.key) }

    /// The value of `key`, or `nil` when the object has no such member.
    public subscript(key: String) -> JSONValue? {
        get {
            for member in members.reversed() where member.key == key { return member.value }
            return nil
        }
        set {
            if let index = members.lastIndex(where: { $0.key == key }) {
                if let newValue { members[index].value = newValue } else { members.remove(at: index) }
            } else if let newValue {
                members.append((key: key, value: newValue))
            }
        }
    }

    /// Appends a member without checking for an existing key (parser fast path).
    public mutating func append(key: String, value: JSONValue) {
        members.append((key: key, value: value))
    }

    public mutating func reserveCapacity(_ n: Int) { members.reserveCapacity(n) }

    /// Replaces the value of the member at `position`, keeping its key and place.
    public mutating func setValue(_ value: JSONValue, at position: Int) { members[position].value = value }

    /// Renames the member at `position`, keeping its value and place.
    public mutating func setKey(_ key: String, at position: Int) { members[position].key = key }

    /// Removes the members for which `predicate` is true, keeping the order of the rest.
    public mutating func removeAll(where predicate: (Member) throws -> Bool) rethrows {
        try members.removeAll(where: predicate)
    }

    public func makeIterator() -> IndexingIterator<[Member]> { members.makeIterator() }

    /// Whether both values share one member buffer (a copy of the same parse,
    /// never mutated since): then they are equal without comparing members.
    /// `false` says nothing; empty objects never share.
    public func sharesStorage(with other: JSONObject) -> Bool {
        guard !members.isEmpty, members.count == other.members.count else { return false }
        return members.withUnsafeBufferPointer { mine in
            other.members.withUnsafeBufferPointer { theirs in mine.baseAddress == theirs.baseAddress }
        }
    }

    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        lhs.members.count == rhs.members.count
            && zip(lhs.members, rhs.members).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(members.count)
        for member in members {
            hasher.combine(member.key)
            hasher.combine(member.value)
        }
    }
}

extension JSONValue {
    /// The object payload, or `nil` for any other kind of value.
    public var objectValue: JSONObject? { if case .object(let o) = self { o } else { nil } }
    /// The string payload, or `nil` for any other kind of value.
    public var stringValue: String? { if case .string(let s) = self { s } else { nil } }
    /// The number payload, or `nil` for any other kind of value.
    public var numberValue: JSONNumber? { if case .number(let n) = self { n } else { nil } }
    /// The array payload, or `nil` for any other kind of value.
    public var arrayValue: [JSONValue]? { if case .array(let a) = self { a } else { nil } }
    /// The boolean payload, or `nil` for any other kind of value.
    public var boolValue: Bool? { if case .bool(let b) = self { b } else { nil } }
    /// `true` for JSON `null`.
    public var isNull: Bool { if case .null = self { true } else { false } }

    /// Member lookup on an object; `nil` for a missing member or a non-object.
    public subscript(key: String) -> JSONValue? { objectValue?[key] }
}
