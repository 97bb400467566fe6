internal import CRdKafka

/// Owns one `rd_kafka_t` and keeps its callback context alive until after
/// `rd_kafka_destroy` has returned (no callback can run after that).
///
/// `deinit` marks the context closing first: destroying a consumer runs the
/// consumer close, whose rebalance callback must then act by itself.
///
/// Sendable: an `rd_kafka_t` may be used from any thread, and the context
/// synchronises itself.
final class RDKafkaHandle: @unchecked Sendable {
    let pointer: OpaquePointer
    let context: ClientContext

    init(pointer: OpaquePointer, context: ClientContext) {
        self.pointer = pointer
        self.context = context
    }

    deinit {
        context.isClosing = true
        rd_kafka_destroy(pointer)
    }

    /// librdkafka's instance name, e.g. `rdkafka#producer-1`.
    var name: String { String(cString: rd_kafka_name(pointer)) }
}

/// Owns one `rd_kafka_queue_t` reference; holds its instance so the queue is
/// always released before the instance is destroyed.
final class RDKafkaQueue: @unchecked Sendable {
    let pointer: OpaquePointer
    private let handle: RDKafkaHandle

    /// The consumer group queue (`rd_kafka_queue_get_consumer`), or nil if the
    /// instance has no group.
    init?(consumerOf handle: RDKafkaHandle) {
        guard let queue = rd_kafka_queue_get_consumer(handle.pointer) else { return nil }
        self.pointer = queue
        self.handle = handle
    }

    deinit { rd_kafka_queue_destroy(pointer) }

    /// Makes a blocked (or the next) poll on this queue return early. Thread-safe.
    func yield() { rd_kafka_queue_yield(pointer) }
}
