import Foundation
import Logging
import Testing
@testable import TributaryKafka

/// A logger for one test. librdkafka is chatty about expected disconnects, so
/// the default level is `error`; set TRIBUTARY_TEST_LOG_LEVEL=debug to see all.
func testLogger(_ label: String) -> Logger {
    var logger = Logger(label: "test.\(label)") { StreamLogHandler.standardError(label: $0) }
    let level = ProcessInfo.processInfo.environment["TRIBUTARY_TEST_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:))
    logger.logLevel = level ?? .error
    return logger
}

/// Runs blocking librdkafka work off the cooperative pool (whose two threads
/// the other tests need), on a serial dispatch queue of its own, while staying
/// in the calling task so `#expect` failures are attributed to the right test.
func onThread<T: Sendable>(_ body: @Sendable () throws -> T) async throws -> T {
    try await withTaskExecutorPreference(SerialQueueExecutor()) {
        try body()
    }
}

/// A task executor that runs jobs on its own serial dispatch queue.
final class SerialQueueExecutor: TaskExecutor, @unchecked Sendable {
    private let queue = DispatchQueue(label: "tributary.kafka-tests")

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        queue.async { job.runSynchronously(on: executor) }
    }
}

struct TimedOut: Error, CustomStringConvertible {
    var what: String
    var description: String { "timed out waiting for \(what)" }
}

/// A consumer config for fast group tests against the mock cluster.
func consumerConfig(_ cluster: MockKafkaCluster, group: String, _ extra: [String: String] = [:]) -> [String: String] {
    var config = [
        "bootstrap.servers": cluster.bootstrapServers,
        "group.id": group,
        "auto.offset.reset": "earliest",
        "enable.auto.commit": "false",
        "session.timeout.ms": "6000",
        "heartbeat.interval.ms": "500",
        "topic.metadata.refresh.interval.ms": "1000",
    ]
    config.merge(extra) { _, new in new }
    return config
}

func producerConfig(_ cluster: MockKafkaCluster, _ extra: [String: String] = [:]) -> [String: String] {
    var config = [
        "bootstrap.servers": cluster.bootstrapServers,
        "acks": "all",
        "linger.ms": "5",
    ]
    config.merge(extra) { _, new in new }
    return config
}

func bytes(_ string: String) -> [UInt8] { Array(string.utf8) }
func text(_ bytes: [UInt8]?) -> String? { bytes.map { String(decoding: $0, as: UTF8.self) } }

/// Produces `messages` and waits for every delivery report; returns them by token.
func produceAll(
    _ producer: KafkaProducer, topic: String,
    _ messages: [(partition: Int32?, key: [UInt8]?, value: [UInt8]?, headers: [KafkaHeader])],
    timeoutMs: Int32 = 10_000
) throws -> [UInt64: DeliveryReport] {
    for (index, message) in messages.enumerated() {
        try producer.produce(
            topic: topic, partition: message.partition, key: message.key, value: message.value,
            headers: message.headers, token: UInt64(index + 1))
    }
    guard producer.flush(timeoutMs: timeoutMs) else { throw TimedOut(what: "flush") }
    var reports: [UInt64: DeliveryReport] = [:]
    for report in producer.takeDeliveryReports() { reports[report.token] = report }
    return reports
}

/// One group member driven the way the worker will drive it: poll, then
/// answer every recorded rebalance event.
final class GroupMember {
    let consumer: KafkaConsumer
    /// Whether `step` polls in place (`pollBatch`) rather than copying (`poll`).
    let inPlace: Bool
    private(set) var messages: [KafkaMessage] = []
    /// With `inPlace`: each record's key and value as `withKeyAndValue` showed them.
    private(set) var keysAndValues: [(key: [UInt8]?, value: [UInt8]?)] = []
    private(set) var events: [RebalanceEvent] = []
    private(set) var assigned: Set<TopicPartition> = []

    init(_ config: [String: String], topics: [String], inPlace: Bool = false, logger: Logger) throws {
        consumer = try KafkaConsumer(configuration: config, logger: logger)
        self.inPlace = inPlace
        try consumer.subscribe(topics: topics)
    }

    func step(timeoutMs: Int32 = 100) throws {
        if inPlace {
            let batch = try consumer.pollBatch(maxMessages: 1000, timeoutMs: timeoutMs)
            for index in 0..<batch.count {
                messages.append(batch.message(at: index))
                keysAndValues.append(batch.withKeyAndValue(at: index) { key, value in (key.map { [UInt8]($0) }, value.map { [UInt8]($0) }) })
            }
        } else {
            messages += try consumer.poll(maxMessages: 1000, timeoutMs: timeoutMs)
        }
        for event in consumer.takeRebalanceEvents() {
            events.append(event)
            switch event {
            case .assign(let partitions): try consumer.completeAssign(partitions)
            case .revoke(let partitions): try consumer.completeRevoke(partitions)
            case .error: try consumer.completeRevoke(Array(assigned))
            }
            assigned = Set(try consumer.assignment())
        }
    }

    var revokes: [[TopicPartition]] {
        events.compactMap { if case .revoke(let partitions) = $0 { partitions } else { nil } }
    }
    var assigns: [[TopicPartition]] {
        events.compactMap { if case .assign(let partitions) = $0 { partitions } else { nil } }
    }
}

/// Steps every member until `condition` holds, or throws after `seconds`.
func drive(_ members: [GroupMember], seconds: Double, until what: String, _ condition: () throws -> Bool) throws {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        for member in members { try member.step(timeoutMs: members.count > 1 ? 50 : 100) }
        if try condition() { return }
    }
    throw TimedOut(what: what)
}
