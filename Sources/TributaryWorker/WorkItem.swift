import TributaryCore
import TributaryKafka

/// A consumed record on its way to being confirmed.
struct WorkItem: Sendable {
    var partition: TopicPartition
    /// The assignment generation of `partition` when the record was consumed;
    /// results for an older generation (the partition was revoked since) are ignored.
    var generation: UInt64
    var offset: Int64
    /// The bulk operation (nil for a record headed straight to the DLQ).
    var item: BulkItem?
    /// The original record, kept for the dead-letter queue.
    var message: KafkaMessage
    /// Failed attempts that count against `max.retries`.
    var attempts = 0
    /// Throttled attempts (unbounded; they only grow the backoff).
    var throttledAttempts = 0
    /// Send alone: set after its whole batch failed, to isolate a bad record.
    var isolate = false
    /// Earliest time (monotonic ms) to send again.
    var notBefore: UInt64 = 0
}

/// Per-partition state of the current assignment.
struct PartitionState: Sendable {
    var generation: UInt64
    var progress = PartitionProgress()
    /// The next offset to consume (one past the last consumed record).
    var position: Int64?
}

/// A record on its way to the dead-letter topic.
struct DeadLetter: Sendable {
    var work: WorkItem
    var reason: PoisonReason
}
