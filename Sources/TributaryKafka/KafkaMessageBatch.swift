internal import CRdKafka

/// The records of one poll, still in librdkafka's buffers.
///
/// Copying a record out (a few KB, plus its allocation and the first touch
/// of fresh memory) costs more than most of what a sink does with it, so a
/// batch lets the caller read keys and values in place (`withKeyAndValue(at:)`) and copy
/// only what it must keep (`message(at:)`). Every accessor may run on
/// several threads at once for distinct indexes.
///
/// Ownership: the batch destroys its `rd_kafka_message_t`s in `deinit`, on
/// whichever thread releases it last; until then librdkafka keeps the fetch
/// buffers they point into (a whole fetch response per partition), so hold a
/// batch only while its records are being worked on. It holds the client
/// instance, so the instance (whose `rd_kafka_destroy` would wait forever for
/// undestroyed messages) outlives every batch.
public final class KafkaMessageBatch: @unchecked Sendable {
    /// Non-error messages only (errors and partition EOFs are handled by `poll`).
    private let messages: [UnsafeMutablePointer<rd_kafka_message_t>]
    /// Topic name per message, resolved by the polling thread's cache.
    private let topics: [String]
    private let handle: RDKafkaHandle

    init(messages: [UnsafeMutablePointer<rd_kafka_message_t>], topics: [String], handle: RDKafkaHandle) {
        precondition(messages.count == topics.count)
        self.messages = messages
        self.topics = topics
        self.handle = handle
    }

    deinit {
        for message in messages { rd_kafka_message_destroy(message) }
    }

    public var count: Int { messages.count }
    public var isEmpty: Bool { messages.isEmpty }

    public func topic(at index: Int) -> String { topics[index] }
    public func partition(at index: Int) -> Int32 { messages[index].pointee.partition }
    public func offset(at index: Int) -> Int64 { messages[index].pointee.offset }

    /// Calls `body` with the key and the value of record `index` in place
    /// (nil for a null key, or a null value: a tombstone). The bytes are
    /// valid only inside `body` and while the batch lives; nothing is copied.
    public func withKeyAndValue<R, E: Error>(
        at index: Int, _ body: (_ key: UnsafeRawBufferPointer?, _ value: UnsafeRawBufferPointer?) throws(E) -> R
    ) throws(E) -> R {
        let raw = messages[index].pointee
        let key = raw.key.map { UnsafeRawBufferPointer(start: $0, count: raw.key_len) }
        let value = raw.payload.map { UnsafeRawBufferPointer(start: $0, count: raw.len) }
        return try body(key, value)
    }

    /// Copies record `index` out of librdkafka. Thread-safe for distinct indexes.
    public func message(at index: Int) -> KafkaMessage {
        KafkaMessage(copying: messages[index], topic: topics[index])
    }

    /// Every record, copied.
    public func copyAll() -> [KafkaMessage] {
        messages.indices.map(message(at:))
    }
}
