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
    /// The original record, kept for the dead-letter queue: in its poll's
    /// buffers while the item is on its way to a first result, copied out
    /// (`OriginalRecord.detach`) before it waits (a retry, the DLQ).
    var original: OriginalRecord
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

/// A consumed record's original bytes.
///
/// Records on the fast path (routed, written, confirmed within moments)
/// stay in place in their poll's buffers, so nothing is copied; a record
/// about to wait (retry backoff, dead-letter delivery) is copied out first,
/// so that a few waiting records cannot hold whole polls' buffers for long.
/// Records held in place are bounded by `max.buffered.records`.
enum OriginalRecord: Sendable {
    case polled(any PolledRecords, index: Int)
    /// Boxed: most records never take this case, and the enum stays small to move.
    indirect case copied(KafkaMessage)

    var topic: String {
        switch self {
        case .polled(let records, let index): records.topic(at: index)
        case .copied(let message): message.topic
        }
    }

    var partition: Int32 {
        switch self {
        case .polled(let records, let index): records.partition(at: index)
        case .copied(let message): message.partition
        }
    }

    var offset: Int64 {
        switch self {
        case .polled(let records, let index): records.offset(at: index)
        case .copied(let message): message.offset
        }
    }

    /// The whole record (a copy, when it is still in place).
    var message: KafkaMessage {
        switch self {
        case .polled(let records, let index): records.message(at: index)
        case .copied(let message): message
        }
    }

    /// Copies the record out of its poll's buffers, if it is still there.
    mutating func detach() {
        if case .polled(let records, let index) = self { self = .copied(records.message(at: index)) }
    }
}
