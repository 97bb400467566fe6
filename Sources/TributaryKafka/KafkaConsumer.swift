internal import CRdKafka
public import Logging

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
    let queue: RDKafkaQueue
    let logger: Logger
    var topicNames = TopicNameCache()
    private var closed = false

    /// - Parameter configuration: librdkafka property names and values;
    ///   `group.id` is required. TributaryKafka installs its own `rebalance_cb`,
    ///   `offset_commit_cb`, `log_cb` and `error_cb`.
    public init(configuration: [String: String], logger: Logger) throws(KafkaError) {
        guard configuration["group.id"] != nil else {
            throw KafkaError.configuration(key: "group.id", message: "is required for a consumer")
        }
        let context = ConsumerContext(logger: logger)
        let config = try RDKafkaConfig(configuration)
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
        self.queue = queue
        self.logger = logger
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
    /// next `poll` returns at once instead (the wake-up is not lost). Thread-safe.
    public func wake() {
        queue.yield()
    }

    /// Leaves the group (`rd_kafka_consumer_close`): blocks until the final
    /// revoke is answered (here, automatically) and the group is left, which
    /// is bounded by `session.timeout.ms`. Commit first if offsets matter.
    /// Idempotent; later calls on this consumer fail.
    public func close() {
        guard !closed else { return }
        closed = true
        context.isClosing = true
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
