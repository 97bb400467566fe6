/// The outcome of one produced message, from `KafkaProducer.takeDeliveryReports()`.
public struct DeliveryReport: Sendable {
    /// The token passed to `KafkaProducer.produce`.
    public var token: UInt64
    /// `nil` when the message is durably written (per `acks`).
    public var error: KafkaError?
    /// The partition written to (or chosen), -1 if none was.
    public var partition: Int32
    /// The record's offset, -1001 if unknown (failure, or acks=0).
    public var offset: Int64

    public init(token: UInt64, error: KafkaError?, partition: Int32, offset: Int64) {
        self.token = token
        self.error = error
        self.partition = partition
        self.offset = offset
    }
}
