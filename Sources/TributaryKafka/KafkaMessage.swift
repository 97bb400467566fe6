/// One consumed record, copied out of librdkafka (it owns nothing in C).
public struct KafkaMessage: Sendable {
    public var topic: String
    public var partition: Int32
    public var offset: Int64
    /// `nil` is a null key (distinct from an empty key).
    public var key: [UInt8]?
    /// `nil` is a null value: a tombstone.
    public var value: [UInt8]?
    public var headers: [KafkaHeader]
    /// Record timestamp (create or log-append time), if the broker sent one.
    public var timestampMs: Int64?

    public init(
        topic: String, partition: Int32, offset: Int64,
        key: [UInt8]?, value: [UInt8]?, headers: [KafkaHeader] = [], timestampMs: Int64? = nil
    ) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.key = key
        self.value = value
        self.headers = headers
        self.timestampMs = timestampMs
    }

    public var topicPartition: TopicPartition { TopicPartition(topic: topic, partition: partition) }
}
