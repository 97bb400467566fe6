import DequeModule
import Foundation
import Logging
import TributaryCore
import TributaryKafka
import TributaryOpenSearch

/// The error that stops a connector.
public struct PipelineError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

/// One connector's pipeline: fetch → decode → batch → write → confirm → commit.
///
/// Runs on its own thread (`run()` blocks): every call on the consumer
/// happens there; records are routed in place, in their poll's buffers, on
/// Dispatch's worker threads (`RoutingStage`), and the bulk requests run on
/// the writer pool's threads. Invariants:
/// - a partition's offset is committed only up to the first record that is
///   not confirmed (indexed, stale, skipped, or acknowledged on the DLQ);
/// - throttling and outages are retried without limit and never dead-lettered;
/// - records held between consume and confirm (routing included) never
///   exceed `max.buffered.records`: at that bound polling stops, and the
///   partitions are paused if it lasts (see `applyBackpressure`).
final class ConnectorPipeline: @unchecked Sendable {
    let config: ConnectorConfig
    let logger: Logger
    let consumer: KafkaConsumer
    /// The connector's router, and one per topic with `overrides`.
    let router: DocumentRouter
    let topicRouters: [String: DocumentRouter]
    var writers: BulkWriterPool!
    let deadLetters: DeadLetterQueue?

    // Driver-thread state.
    var partitions: [TopicPartition: PartitionState] = [:]
    var nextGeneration: UInt64 = 1
    /// Items to send, oldest first. Taken items leave it at once: they may
    /// hold their poll's buffers (`OriginalRecord`).
    var ready = MovingQueue<WorkItem>()
    var waiting: [WorkItem] = []
    var inFlight: [UInt64: [WorkItem]] = [:]
    var dlqPending: [UInt64: DeadLetter] = [:]
    var dlqRetry: [DeadLetter] = []
    var nextToken: UInt64 = 1
    var outstandingRecords = 0
    var pausedForBackpressure = false
    /// When the buffer last filled up; nil once half of it is free again.
    var fullSinceMs: UInt64?
    var lingerStartMs: UInt64?
    var inFlightLimit: Int
    var throttledUntilMs: UInt64 = 0
    var stats = PipelineStats()
    var lastCommitMs: UInt64 = 0
    var lastSummaryMs: UInt64 = 0
    var lastProgressMs: UInt64 = monotonicMs()
    var lastCommitAdvanceMs: UInt64 = monotonicMs()
    var fatal: PipelineError?
    /// Routes polled records, in place, off the driver thread.
    let routing: RoutingStage
    /// A connection for requests outside `_bulk` (truncate, index creation), used on the driver thread.
    let adminConnection: OpenSearchConnection
    /// Indexes whose derived mappings are settled (`index.mappings=derived`; see `prepareIndex`).
    var preparedIndexes: Set<String> = []
    /// Whether any topic has `index.mappings=derived`: without it,
    /// `prepareIndex` has nothing to do and returns before any per-record work.
    let derivesMappings: Bool

    private let stopRequested = ManagedAtomicFlag()

    init(config: ConnectorConfig, logger: Logger) throws {
        var logger = logger
        logger[metadataKey: LogKey.connector] = "\(config.name)"
        self.config = config
        self.logger = logger
        let router = config.routing.router
        let topicRouters = config.routingOverrides.mapValues(\.router)
        self.router = router
        self.topicRouters = topicRouters
        self.inFlightLimit = config.batching.maxInFlight
        self.derivesMappings = ([config.routing] + config.routingOverrides.values).contains { $0.indexMappings.mode == .derived }
        let consumer = try KafkaConsumer(configuration: config.kafka, logger: logger)
        self.consumer = consumer
        let routingSettings = config.routing
        let overrideSettings = config.routingOverrides
        self.routing = RoutingStage(
            parallelism: ProcessInfo.processInfo.activeProcessorCount,
            makeRoute: {
                // Routers of this route's own, so routing threads share no
                // cache (see `RoutingStage`). Each router bounds its caches;
                // there is one set per routing thread that ever ran at once.
                let router = routingSettings.router
                let topicRouters = overrideSettings.mapValues(\.router)
                return { records, index in
                    let topic = records.topic(at: index)
                    let offset = records.offset(at: index)
                    // Key and value are read in place; the router is not copied
                    // per record (a copy retains every reference it holds).
                    func decide(_ router: DocumentRouter) -> Result<DocumentRouter.Decision, DecodeError> {
                        records.withKeyAndValue(at: index) { key, value in
                            Result { () throws(DecodeError) in try router.route(topic: topic, offset: offset, keyBytes: key, valueBytes: value) }
                        }
                    }
                    if !topicRouters.isEmpty, let override = topicRouters[topic] { return decide(override) }
                    return decide(router)
                }
            },
            onRouted: { consumer.wake() })
        if let topic = config.deadLetterTopic {
            self.deadLetters = try DeadLetterQueue(topic: topic, connector: config.name, kafka: config.kafka, logger: logger)
        } else {
            self.deadLetters = nil
        }
        var openSearch = OpenSearchConfiguration(urls: config.openSearch.urls)
        openSearch.username = config.openSearch.username
        openSearch.password = config.openSearch.password
        openSearch.caFile = config.openSearch.caFile
        openSearch.clientCertificateFile = config.openSearch.certificateFile
        openSearch.clientKeyFile = config.openSearch.keyFile
        openSearch.verifyCertificates = config.openSearch.verifyCertificates
        openSearch.connectTimeoutMs = config.openSearch.connectTimeoutMs
        openSearch.requestTimeoutMs = config.openSearch.requestTimeoutMs
        if let aws = config.openSearch.aws {
            // One provider for every connection of this connector: one credential cache.
            openSearch.aws = AWSSigningConfiguration.from(aws)
        }
        if !openSearch.verifyCertificates {
            logger.warning("TLS certificate verification is OFF (connection.ssl.verify=false): connections can be intercepted")
        }
        self.adminConnection = try OpenSearchConnection(configuration: openSearch)
        self.writers = try BulkWriterPool(
            count: config.batching.maxInFlight, configuration: openSearch, logger: logger, onResult: { consumer.wake() })
    }

    /// How long a stop waits for bulk requests still running (see `BulkWriterPool.stop`).
    static let writerStopWaitMs = 10_000

    /// Whether a graceful stop was requested.
    var isStopping: Bool { stopRequested.isSet }

    /// Asks the pipeline to stop gracefully; thread-safe.
    func requestStop() {
        stopRequested.set()
        consumer.wake()
    }

    /// Runs until stopped; returns normally after a graceful stop and throws
    /// the error that stopped the connector otherwise.
    func run() throws(PipelineError) {
        defer {
            if !writers.stop(waitMs: Self.writerStopWaitMs) {
                logger.warning(
                    "a bulk request was still running when the connector stopped; its result is discarded",
                    metadata: [LogKey.timeoutMs: "\(Self.writerStopWaitMs)"])
            }
        }
        do {
            switch config.subscription {
            case .topics(let topics): try consumer.subscribe(topics: topics)
            case .pattern(let pattern): try consumer.subscribe(topics: [pattern])
            }
        } catch {
            throw PipelineError(message: "cannot subscribe: \(error)")
        }
        logger.info("connector started", metadata: ["group.id": "\(config.kafka["group.id"] ?? "")"])
        while !stopRequested.isSet && fatal == nil {
            step()
        }
        shutdown()
        if let fatal { throw fatal }
    }

    /// One turn of the loop: poll, route, dispatch, collect, commit.
    ///
    /// A poll's records are routed by `routing` while later turns go on; they
    /// are accepted (tracked and queued for writing) in poll order once routed.
    func step() {
        let now = monotonicMs()
        let room = config.batching.maxBufferedRecords - outstandingRecords - routing.pendingRecords
        if applyBackpressure(room: room, now: now) {
            let batch: KafkaMessageBatch
            do {
                batch = try consumer.pollBatch(maxMessages: max(1, min(room, 2000)), timeoutMs: pollTimeout(now: now))
            } catch {
                fatal = PipelineError(message: "Kafka consumer failed: \(error)")
                return
            }
            handleRebalances()
            // Stamped after the rebalance events of this poll took effect, as
            // the records were consumed under that assignment.
            routing.submit(batch, stamp: nextGeneration)
        } else {
            // Full, for now: wait for results (routing finishing is checked each millisecond).
            writers.waitForResults(timeoutMs: 1)
        }
        acceptRouted(routing.takeRouted())
        collectResults()
        collectDeadLetterReports()
        promoteDueRetries(now: monotonicMs())
        dispatch(force: false)
        commitIfDue(force: false)
        logSummaryIfDue()
    }

    private func pollTimeout(now: UInt64) -> Int32 {
        if readyCount > 0 && writers.outstanding < inFlightLimit && now >= throttledUntilMs {
            if readyCount >= config.batching.maxRecords { return 0 }
            if let start = lingerStartMs {
                let due = start + UInt64(config.batching.lingerMs)
                return due <= now ? 0 : Int32(min(due - now, 100))
            }
        }
        var timeout: UInt64 = 100
        if let nextRetry = waiting.map(\.notBefore).min(), nextRetry > now { timeout = min(timeout, nextRetry - now) }
        if throttledUntilMs > now { timeout = min(timeout, throttledUntilMs - now) }
        if !waiting.isEmpty, timeout == 0 { return 0 }
        return Int32(timeout)
    }

    var readyCount: Int { ready.count }

    /// How long a full buffer stops polling before the partitions are paused.
    static let pauseAfterMs: UInt64 = 1000

    /// Keeps the records held between consume and confirm within
    /// `max.buffered.records`; returns whether this turn may poll.
    ///
    /// A full buffer first just stops polling, until half of it is free
    /// again: that is usually a matter of milliseconds, and pausing is not
    /// free, as librdkafka drops the records it prefetched for a paused
    /// partition and fetches them again on resume. If it stays full for
    /// `pauseAfterMs` (a slow or unavailable cluster), the partitions are
    /// paused, so that polls (which serve rebalances and keep the member
    /// within `max.poll.interval.ms`) go on without taking records.
    private func applyBackpressure(room: Int, now: UInt64) -> Bool {
        if fullSinceMs == nil && room <= 0 {
            fullSinceMs = now
        } else if fullSinceMs != nil && room >= config.batching.maxBufferedRecords / 2 {
            fullSinceMs = nil
            if pausedForBackpressure {
                pausedForBackpressure = false
                setPaused(false, Array(partitions.keys))
            }
        }
        guard let since = fullSinceMs else { return true }
        if !pausedForBackpressure && now >= since + Self.pauseAfterMs {
            pausedForBackpressure = true
            setPaused(true, Array(partitions.keys))
        }
        return pausedForBackpressure
    }

    func setPaused(_ paused: Bool, _ list: [TopicPartition]) {
        guard !list.isEmpty else { return }
        do {
            if paused { try consumer.pause(list) } else { try consumer.resume(list) }
            logger.debug(paused ? "partitions paused (buffer full)" : "partitions resumed", metadata: [LogKey.partitions: "\(list.count)"])
        } catch {
            logger.warning("pause/resume failed", metadata: [LogKey.error: "\(error)"])
        }
    }

    /// Accepts routed batches in order; stops at a fatal error.
    ///
    /// The records are moved out one by one: copying each out would retain,
    /// and later release, every buffer a record holds.
    func acceptRouted(_ batches: consuming [RoutingStage.RoutedBatch]) {
        for index in batches.indices {
            let stamp = batches[index].stamp
            while let record = batches[index].records.popFirst() {
                accept(record, stamp: stamp)
                if fatal != nil { return }
            }
        }
    }

    /// Tracks one consumed record and applies its routing decision.
    ///
    /// `stamp` is `nextGeneration` when the record's poll was submitted: a
    /// partition assigned since (a newer generation) is a new assignment
    /// that will fetch the record again, so it is dropped here.
    ///
    /// The decision is moved out of the record (`takeDecision`), not copied.
    private func accept(_ record: consuming RoutedRecord, stamp: UInt64) {
        let decision = record.takeDecision()
        let original = record.original
        let offset = original.offset
        let tp = TopicPartition(topic: original.topic, partition: original.partition)
        guard let slot = partitions.index(forKey: tp),
            let generation = withPartition(at: slot, { state -> UInt64? in
                // Fetched before a revoke took effect (not ours any more), or seen already.
                guard state.generation < stamp, state.progress.track(offset) else { return nil }
                state.position = offset + 1
                return state.generation
            })
        else { return }
        outstandingRecords += 1
        stats.consumed += 1
        // Each case builds its work item where it hands it on: one built
        // ahead, in a `var`, was copied into `enqueue` on every record.
        switch consume decision {
        case .success(.skip):
            stats.skipped += 1
            confirm(tp, generation: generation, offset: offset)
        case .success(.write(let item)):
            guard prepareIndex(item.index, for: original) else { return }
            enqueue(WorkItem(partition: tp, generation: generation, offset: offset, item: item, original: original))
        case .success(.deleteAll(let index)):
            truncate(index, WorkItem(partition: tp, generation: generation, offset: offset, item: nil, original: original))
        case .failure(let error):
            if error.code == .nullValue {
                fatal = PipelineError(message: "\(tp.topic)[\(tp.partition)]@\(offset): \(error.message)")
                return
            }
            poison(
                WorkItem(partition: tp, generation: generation, offset: offset, item: nil, original: original),
                PoisonReason(className: error.className, message: error.message))
        }
    }

    /// `body` over the state of the partition at `slot` of `partitions`, in
    /// place: reading it through the dictionary's getter copies the state
    /// (retaining its offset arrays) on every record.
    @inline(__always)
    func withPartition<R>(at slot: Dictionary<TopicPartition, PartitionState>.Index, _ body: (inout PartitionState) -> R) -> R {
        body(&partitions.values[slot])
    }

    /// The router for records of `topic`.
    func router(for topic: String) -> DocumentRouter {
        topicRouters[topic] ?? router
    }

    func enqueue(_ work: consuming WorkItem) {
        if readyCount == 0 { lingerStartMs = monotonicMs() }
        ready.append(work)
    }

    /// Marks a record confirmed.
    func confirm(_ work: WorkItem) {
        confirm(work.partition, generation: work.generation, offset: work.offset)
    }

    /// Marks the record at `offset` of `partition` confirmed, if that
    /// partition is still assigned in `generation`.
    func confirm(_ partition: TopicPartition, generation: UInt64, offset: Int64) {
        guard let slot = partitions.index(forKey: partition),
            withPartition(at: slot, { $0.generation == generation && $0.progress.confirm(offset) })
        else { return }
        outstandingRecords -= 1
        lastProgressMs = monotonicMs()
    }

    /// Whether a work item still belongs to the current assignment.
    func isCurrent(_ work: WorkItem) -> Bool {
        isCurrent(work.partition, generation: work.generation)
    }

    func isCurrent(_ partition: TopicPartition, generation: UInt64) -> Bool {
        partitions[partition]?.generation == generation
    }

    /// Sends ready items to free writers. With `force`, partial batches go at
    /// once (shutdown and revocation drain).
    func dispatch(force: Bool) {
        let now = monotonicMs()
        guard now >= throttledUntilMs else { return }
        while readyCount > 0 && writers.outstanding < inFlightLimit {
            let lingered = lingerStartMs.map { now >= $0 + UInt64(config.batching.lingerMs) } ?? true
            guard force || lingered || readyCount >= config.batching.maxRecords else { return }
            // Stale items at the front go; then the batch is chosen first and
            // its body allocated at its exact size (growing it from a guess
            // copied most bodies a second time).
            // Items are read in place (a copy retains every buffer an item
            // holds), and whether a partition is current is looked up once
            // per run of it. `size` is nil for an item that is stale or has
            // nothing to send.
            var current = CurrentPartitionCheck()
            func facts(_ index: Int) -> (size: Int?, isolate: Bool) {
                ready.withElement(at: index) { work in
                    let sendable = current.isCurrent(work.partition, work.generation, in: self)
                    return (sendable ? work.item?.bytes.count : nil, work.isolate)
                }
            }
            while !ready.isEmpty, facts(0).size == nil { _ = ready.removeFirst() }
            var count = 0
            var size = 0
            var isolated = false
            for index in 0..<ready.count {
                // A stale item ends the batch; the next batch's first pass drops it.
                let item = facts(index)
                guard count < config.batching.maxRecords, let itemSize = item.size else { break }
                if count == 0 {
                    isolated = item.isolate
                } else if isolated || item.isolate || size + itemSize > config.batching.maxBytes {
                    break
                }
                size += itemSize
                count += 1
            }
            var items: [WorkItem] = []
            items.reserveCapacity(count)
            var body: [UInt8] = []
            body.reserveCapacity(size)
            for _ in 0..<count {
                let work = ready.removeFirst()
                if let bytes = work.item?.bytes { body.append(contentsOf: bytes) }
                items.append(consume work)
            }
            lingerStartMs = readyCount > 0 ? now : nil
            guard !items.isEmpty else { continue }
            let id = nextToken
            nextToken += 1
            inFlight[id] = items
            stats.bulkRequests += 1
            writers.submit(BulkBatch(id: id, body: body, itemCount: items.count))
        }
    }

    /// Moves retries whose backoff has passed back to the ready queue and
    /// drops those of partitions no longer assigned.
    func promoteDueRetries(now: UInt64) {
        guard !waiting.isEmpty else { return }
        var still: [WorkItem] = []
        for work in waiting {
            if !isCurrent(work) { continue }
            if work.notBefore <= now { enqueue(work) } else { still.append(work) }
        }
        waiting = still
    }

    private func logSummaryIfDue() {
        guard config.summaryIntervalMs > 0 else { return }
        let now = monotonicMs()
        guard now >= lastSummaryMs + UInt64(config.summaryIntervalMs) else { return }
        lastSummaryMs = now
        logSummary()
    }

    func logSummary() {
        var lag: Int64 = 0
        var committed: [String] = []
        for (tp, state) in partitions.sorted(by: { ($0.key.topic, $0.key.partition) < ($1.key.topic, $1.key.partition) }) {
            // Lag is known once the partition was fetched from; a partition with
            // nothing new since the last run has no position and no lag.
            if let high = consumer.cachedWatermarks(tp)?.high, let position = state.position ?? state.progress.committed {
                lag += max(0, high - position)
            }
            if let c = state.progress.committed { committed.append("\(tp.partition):\(c)") }
        }
        let now = monotonicMs()
        let stallAfter = UInt64(max(60_000, config.summaryIntervalMs * 3))
        let stalledConfirming = outstandingRecords > 0 && now - lastProgressMs > stallAfter
        let stalledCommitting = lag > 0 && now - lastCommitAdvanceMs > stallAfter
        logger.info(
            "progress",
            metadata: [
                "consumed": "\(stats.consumed)", "indexed": "\(stats.indexed)", "deleted": "\(stats.deleted)",
                "stale": "\(stats.stale)", "skipped": "\(stats.skipped)", "retried": "\(stats.retried)",
                "dlq": "\(stats.deadLettered)", "dropped": "\(stats.dropped)", "bulks": "\(stats.bulkRequests)",
                "inflight": "\(writers.outstanding)", "buffered": "\(outstandingRecords)", "lag": "\(lag)", "partitions": "\(partitions.count)",
                "fetch_restarts": "\(consumer.fetchRestarts)",
                "committed": "\(committed.joined(separator: ","))",
            ])
        if stalledConfirming || stalledCommitting {
            // Health that means progress: lag exists but offsets do not move.
            logger.error(
                "no progress: the consumer lags but no record was confirmed or committed recently",
                metadata: [
                    "buffered": "\(outstandingRecords)", "lag": "\(lag)",
                    "since_confirm_ms": "\(now - lastProgressMs)", "since_commit_ms": "\(now - lastCommitAdvanceMs)",
                ])
        }
    }
}

/// `ConnectorPipeline.isCurrent` over a run of items, which mostly come
/// from one partition in turn: the assignment is looked up (hashing the
/// topic name) when the partition or generation changes, not per item.
/// Valid while the assignment does not change (within one `dispatch`).
private struct CurrentPartitionCheck {
    private var last: (partition: TopicPartition, generation: UInt64, current: Bool)?

    mutating func isCurrent(_ partition: TopicPartition, _ generation: UInt64, in pipeline: ConnectorPipeline) -> Bool {
        if let last, last.generation == generation, last.partition == partition { return last.current }
        let current = pipeline.isCurrent(partition, generation: generation)
        last = (partition, generation, current)
        return current
    }
}

/// A thread-safe one-way flag.
final class ManagedAtomicFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func set() { lock.withLock { value = true } }
    var isSet: Bool { lock.withLock { value } }
}
