/// The outcome of one asynchronous commit, from `KafkaConsumer.takeCommitResults()`.
public struct CommitResult: Sendable {
    /// The offsets the commit carried (next offset to read), per partition.
    public var offsets: [TopicPartition: Int64]
    /// `nil` on success; otherwise the request error or the first partition error.
    public var error: KafkaError?

    public init(offsets: [TopicPartition: Int64], error: KafkaError?) {
        self.offsets = offsets
        self.error = error
    }
}
