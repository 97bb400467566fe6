/// A Kafka record header. Keys may repeat within one message; order is kept.
public struct KafkaHeader: Sendable, Hashable {
    public var key: String
    /// `nil` is a header whose value is null (distinct from an empty value).
    public var value: [UInt8]?

    public init(key: String, value: [UInt8]?) {
        self.key = key
        self.value = value
    }
}
