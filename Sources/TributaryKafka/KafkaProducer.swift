internal import CRdKafka
public import Logging

/// A producer on librdkafka: non-blocking enqueue, delivery reports by poll.
///
/// Threading: `produce`, `poll`, `flush` and `takeDeliveryReports` are meant
/// for one thread; delivery reports are recorded during `poll`/`flush` and
/// handed out by `takeDeliveryReports()`, each carrying the caller's token.
///
/// Ownership: owns its `rd_kafka_t`; `deinit` destroys it without flushing
/// (call `flush` first if pending messages matter).
public final class KafkaProducer: @unchecked Sendable {
    let handle: RDKafkaHandle
    let context: ProducerContext

    /// - Parameter configuration: librdkafka property names and values.
    ///   TributaryKafka installs its own `dr_msg_cb`, `log_cb` and `error_cb`.
    public init(configuration: [String: String], logger: Logger) throws(KafkaError) {
        let context = ProducerContext(logger: logger)
        let config = try RDKafkaConfig(configuration)
        config.install(context: context)
        config.withPointer { rd_kafka_conf_set_dr_msg_cb($0, ProducerCallbacks.delivery) }
        self.handle = RDKafkaHandle(pointer: try config.makeHandle(RD_KAFKA_PRODUCER), context: context)
        self.context = context
    }

    /// Enqueues one message; key, value and headers are copied.
    ///
    /// - Parameters:
    ///   - partition: `nil` uses the configured partitioner on the key.
    ///   - key, value: `nil` is a null field (a `nil` value is a tombstone).
    ///   - token: returned in this message's `DeliveryReport`.
    /// - Throws: a retriable `KafkaError` with `isQueueFull` when the local
    ///   queue is full (poll, then retry); other enqueue errors as they are.
    public func produce(
        topic: String, partition: Int32?, key: [UInt8]?, value: [UInt8]?,
        headers: [KafkaHeader], token: UInt64
    ) throws(KafkaError) {
        let opaque = UnsafeMutableRawPointer(bitPattern: UInt(token))
        let err = ProducerHeaders.withCHeaders(headers) { cHeaders, count in
            Self.withBytes(key) { keyPointer, keyLength in
                Self.withBytes(value) { valuePointer, valueLength in
                    crdkafka_produce(
                        handle.pointer, topic, partition ?? RD_KAFKA_PARTITION_UA,
                        keyPointer, keyLength, valuePointer, valueLength,
                        cHeaders, count, opaque)
                }
            }
        }
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError(err) }
    }

    /// Serves delivery reports (and errors/logs queued for the app), waiting
    /// up to `timeoutMs` for the first one.
    public func poll(timeoutMs: Int32) {
        rd_kafka_poll(handle.pointer, timeoutMs)
    }

    /// Delivery reports recorded since the last call, in arrival order.
    public func takeDeliveryReports() -> [DeliveryReport] {
        context.takeDeliveryReports()
    }

    /// Waits up to `timeoutMs` until every enqueued message has its delivery
    /// report recorded. Returns false on timeout.
    public func flush(timeoutMs: Int32) -> Bool {
        rd_kafka_flush(handle.pointer, timeoutMs) == RD_KAFKA_RESP_ERR_NO_ERROR
    }

    /// Messages (and requests) not yet acknowledged: `rd_kafka_outq_len`.
    public var outstanding: Int { Int(rd_kafka_outq_len(handle.pointer)) }

    /// Instance-level errors recorded by `error_cb` since the last call.
    public func takeErrors() -> [KafkaError] { context.takeErrors() }

    /// The fatal error that made this producer unusable, if any.
    public var fatalError: KafkaError? { context.fatalError }

    /// `nil` lends a null pointer; an empty array lends a valid pointer with
    /// length 0, so Kafka keeps "empty" distinct from "null".
    private static func withBytes<R>(_ bytes: [UInt8]?, _ body: (UnsafeRawPointer?, Int) -> R) -> R {
        guard let bytes else { return body(nil, 0) }
        if bytes.isEmpty {
            var placeholder: UInt8 = 0
            return withUnsafeBytes(of: &placeholder) { body($0.baseAddress, 0) }
        }
        return bytes.withUnsafeBytes { body($0.baseAddress, $0.count) }
    }
}
