internal import CRdKafka
import Dispatch
public import Logging
import Synchronization

/// A group consumer on librdkafka's high-level consumer API, driven by pull.
///
/// Threading: all methods except `wake()` must be called from one thread (the
/// worker's driver thread); they block for at most their timeout. `wake()` is
/// thread-safe.
///
/// Callbacks: rebalances, async commit results and instance errors are only
/// recorded while `poll` runs; drain them with `takeRebalanceEvents()`,
/// `takeCommitResults()` and `takeErrors()` and act on them from the driver
/// thread. A rebalance makes the current `poll` return early.
///
/// Ownership: the consumer owns its `rd_kafka_t`; `close()` leaves the group,
/// `deinit` closes (if needed) and destroys it.
public final class KafkaConsumer: @unchecked Sendable {
    let handle: RDKafkaHandle
    let context: ConsumerContext
    /// The consumer group queue, for `wake()`. Released before the close:
    /// librdkafka requires every reference from `rd_kafka_queue_get_consumer`
    /// to be destroyed before `rd_kafka_consumer_close`.
    private let wakeQueue: Mutex<RDKafkaQueue?>
    let logger: Logger
    var topicNames = TopicNameCache()
    private var closed = false
    /// When to restart fetchers that librdkafka left idle (see `FetchStallWatch`).
    var fetchWatch: FetchStallWatch
    /// How many times `poll` restarted the fetchers (`restartFetches()`).
    public internal(set) var fetchRestarts = 0

    /// - Parameter configuration: librdkafka property names and values;
    ///   `group.id` is required. TributaryKafka installs its own `rebalance_cb`,
    ///   `offset_commit_cb`, `log_cb` and `error_cb`.
    public init(configuration: [String: String], logger: Logger) throws(KafkaError) {
        guard configuration["group.id"] != nil else {
            throw KafkaError.configuration(key: "group.id", message: "is required for a consumer")
        }
        let context = ConsumerContext(logger: logger)
        let config = try RDKafkaConfig(configuration)
        let kbytes = config.get("queued.max.messages.kbytes").flatMap { Int($0) } ?? 65536
        let messages = config.get("queued.min.messages").flatMap { Int($0) } ?? 100_000
        config.install(context: context)
        config.withPointer { conf in
            rd_kafka_conf_set_rebalance_cb(conf, ConsumerCallbacks.rebalance)
            rd_kafka_conf_set_offset_commit_cb(conf, ConsumerCallbacks.offsetCommit)
        }
        let handle = RDKafkaHandle(pointer: try config.makeHandle(RD_KAFKA_CONSUMER), context: context)
        let err = rd_kafka_poll_set_consumer(handle.pointer)
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError(err) }
        guard let queue = RDKafkaQueue(consumerOf: handle) else {
            throw KafkaError(RD_KAFKA_RESP_ERR__UNKNOWN_GROUP)
        }
        self.handle = handle
        self.context = context
        self.wakeQueue = Mutex(queue)
        self.logger = logger
        self.fetchWatch = FetchStallWatch(byteBound: kbytes * 1024, messageBound: messages)
    }

    deinit {
        close()
    }

    /// Subscribes to `topics` (replacing any subscription). A name starting
    /// with `^` is a regular expression. Assignment arrives as a rebalance event.
    public func subscribe(topics: [String]) throws(KafkaError) {
        let list = RDKafkaTopicPartitionList(capacity: topics.count)
        for topic in topics { list.add(TopicPartition(topic: topic, partition: RD_KAFKA_PARTITION_UA), offset: Int64(RD_KAFKA_OFFSET_INVALID)) }
        let err = rd_kafka_subscribe(handle.pointer, list.pointer)
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError(err) }
    }

    /// Makes a blocked `poll` return early, empty. If no poll is blocked, the
    /// next `poll` returns at once instead (the wake-up is not lost). Does
    /// nothing once `close` has begun. Thread-safe.
    public func wake() {
        wakeQueue.withLock { $0?.yield() }
    }

    /// Messages (and events) waiting in the consumer group queue; 0 once
    /// `close` has begun.
    var queuedMessages: Int {
        wakeQueue.withLock { queue in queue.map { Int(rd_kafka_queue_length($0.pointer)) } ?? 0 }
    }

    /// Leaves the group (`rd_kafka_consumer_close`): blocks until the final
    /// revoke is answered (here, automatically) and the group is left, which
    /// librdkafka bounds by about `session.timeout.ms`. Commit first if
    /// offsets matter. Idempotent; later calls on this consumer fail.
    public func close() {
        guard beginClose() else { return }
        Self.finishClose(handle, logger: logger)
    }

    /// `close()`, waiting at most `timeoutMs`. Returns `false` when the close
    /// had not finished by then: it goes on on a thread of its own, which
    /// holds the client instance (so it is not destroyed under the close),
    /// and the group learns that this member is gone when its session times
    /// out. Offsets committed before are safe either way.
    ///
    /// A graceful stop must end even when librdkafka's close does not: it
    /// waits for the group coordinator, and a coordinator in the middle of a
    /// rebalance with a member that died has been seen to keep it waiting.
    public func close(timeoutMs: Int) -> Bool {
        guard beginClose() else { return true }
        let done = DispatchSemaphore(value: 0)
        let handle = self.handle
        let logger = self.logger
        DispatchQueue.global().async {
            Self.finishClose(handle, logger: logger)
            done.signal()
        }
        return done.wait(timeout: .now() + .milliseconds(max(timeoutMs, 0))) == .success
    }

    /// Marks the consumer closing and releases the wake-up queue; `false`
    /// when it was closed already.
    private func beginClose() -> Bool {
        guard !closed else { return false }
        closed = true
        context.isClosing = true
        wakeQueue.withLock { $0 = nil }
        return true
    }

    private static func finishClose(_ handle: RDKafkaHandle, logger: Logger) {
        let err = rd_kafka_consumer_close(handle.pointer)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR {
            let error = KafkaError(err)
            logger.warning(
                "consumer close failed",
                metadata: [KafkaLogMetadata.errorName: .string(error.name), KafkaLogMetadata.errorMessage: .string(error.message)])
        }
    }

    /// Instance-level errors recorded by `error_cb` since the last call
    /// (already logged). Fatal ones are also thrown by `poll`.
    public func takeErrors() -> [KafkaError] {
        context.takeErrors()
    }

    /// The fatal error that made this consumer unusable, if any.
    public var fatalError: KafkaError? { context.fatalError }

    /// librdkafka's instance name, e.g. `rdkafka#consumer-1`.
    public var name: String { handle.name }
}
