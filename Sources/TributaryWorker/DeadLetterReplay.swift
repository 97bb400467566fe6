public import Logging
public import TributaryCore
import TributaryKafka

/// Sends dead-lettered records back to their source topic (or another) after
/// the cause was fixed: `tributary dlq replay`.
///
/// Reads the connector's DLQ topic from the replay group's committed position
/// (the beginning on the first run) up to the end offsets seen at start. Each
/// record goes to `target` (default: its `__connect.errors.topic` header, into
/// its original partition so per-key order holds) with its original key, value
/// and headers; the error-context headers are dropped. The DLQ offsets are
/// committed only after the broker acknowledged every re-sent record, so an
/// interrupted replay resumes without loss (a record may be sent twice, which
/// versioned writes make harmless). A dry run sends and commits nothing.
public struct DeadLetterReplay: Sendable {
    /// One record the replay sends (or would send).
    public struct Entry: Sendable {
        public var dlqPartition: Int32
        public var dlqOffset: Int64
        public var targetTopic: String
        public var targetPartition: Int32?
        public var error: String
    }

    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    public let config: ConnectorConfig
    public let target: String?
    public let dryRun: Bool
    public let limit: Int?
    private let logger: Logger

    public init(config: ConnectorConfig, target: String?, dryRun: Bool, limit: Int?, logger: Logger) {
        self.config = config
        self.target = target
        self.dryRun = dryRun
        self.limit = limit
        self.logger = logger
    }

    /// The replay group: separate from the sink's, one per connector.
    public var groupID: String { "\(config.kafka["group.id"] ?? "tributary-\(config.name)")-dlq-replay" }

    /// Runs the replay, calling `report` for every record; blocking.
    public func run(report: (Entry) -> Void) throws(Failure) -> Int {
        guard let dlq = config.deadLetterTopic else {
            throw Failure(description: "connector '\(config.name)' has no errors.deadletterqueue.topic.name")
        }
        var consumerConfig = config.kafka
        consumerConfig["group.id"] = groupID
        consumerConfig["client.id"] = "\(groupID)"
        do {
            let consumer = try KafkaConsumer(configuration: consumerConfig, logger: logger)
            defer { consumer.close() }
            let count = try consumer.partitionCount(topic: dlq, timeoutMs: 10_000)
            let partitions = (0..<count).map { TopicPartition(topic: dlq, partition: $0) }
            let committed = try consumer.committed(partitions, timeoutMs: 10_000)
            var ends: [TopicPartition: Int64] = [:]
            var starts: [TopicPartition: Int64] = [:]
            for tp in partitions {
                let marks = try consumer.queryWatermarks(tp, timeoutMs: 10_000)
                let start = max(committed[tp] ?? marks.low, marks.low)
                if start < marks.high {
                    ends[tp] = marks.high
                    starts[tp] = start
                }
            }
            guard !starts.isEmpty else { return 0 }
            try consumer.assign(starts)
            let producer = dryRun ? nil : try replayProducer()
            var sent = 0
            var done: [TopicPartition: Int64] = [:]
            var token: UInt64 = 0
            while done.count < starts.count, limit.map({ sent < $0 }) ?? true {
                let messages = try consumer.poll(maxMessages: 500, timeoutMs: 1000)
                for message in messages {
                    let tp = message.topicPartition
                    guard let end = ends[tp], message.offset < end, done[tp] == nil else { continue }
                    if limit.map({ sent >= $0 }) ?? false { break }
                    let entry = entry(for: message)
                    report(entry)
                    if let producer {
                        token += 1
                        try producer.produce(
                            topic: entry.targetTopic, partition: entry.targetPartition, key: message.key,
                            value: message.value, headers: originalHeaders(message), token: token)
                    }
                    sent += 1
                    starts[tp] = message.offset + 1
                    if message.offset + 1 >= end { done[tp] = end }
                }
                if messages.isEmpty && done.count < starts.count {
                    // Positions may sit on transaction markers or compacted holes.
                    for (tp, position) in starts where done[tp] == nil {
                        if let end = ends[tp], let high = consumer.cachedWatermarks(tp)?.high, position >= min(end, high) {
                            done[tp] = end
                        }
                    }
                }
            }
            if let producer {
                guard producer.flush(timeoutMs: 60_000) else {
                    throw Failure(description: "re-sent records were not all acknowledged within 60 s; nothing committed, run again")
                }
                let failures = producer.takeDeliveryReports().compactMap(\.error)
                if let failure = failures.first {
                    throw Failure(description: "\(failures.count) records could not be re-sent (\(failure)); nothing committed, run again")
                }
                try consumer.commit(starts, synchronous: true)
            }
            return sent
        } catch let error as Failure {
            throw error
        } catch {
            throw Failure(description: "\(error)")
        }
    }

    private func replayProducer() throws(KafkaError) -> KafkaProducer {
        try KafkaProducer(
            configuration: ProducerProperties.derived(from: config.kafka, clientID: "\(groupID)-producer"), logger: logger)
    }

    private func entry(for message: KafkaMessage) -> Entry {
        let headers = Dictionary(
            message.headers.compactMap { header in header.value.map { (header.key, String(decoding: $0, as: UTF8.self)) } },
            uniquingKeysWith: { _, last in last })
        let source = headers[DeadLetterQueue.Header.topic]
        let targetTopic = target ?? source ?? ""
        var partition: Int32?
        if targetTopic == source { partition = headers[DeadLetterQueue.Header.partition].flatMap { Int32($0) } }
        let error = [headers[DeadLetterQueue.Header.exceptionClass], headers[DeadLetterQueue.Header.exceptionMessage]]
            .compactMap { $0 }.joined(separator: ": ")
        return Entry(dlqPartition: message.partition, dlqOffset: message.offset, targetTopic: targetTopic, targetPartition: partition, error: error)
    }

    private func originalHeaders(_ message: KafkaMessage) -> [KafkaHeader] {
        message.headers.filter { !$0.key.hasPrefix("__connect.errors.") && !$0.key.hasPrefix("__tributary.errors.") }
    }
}
