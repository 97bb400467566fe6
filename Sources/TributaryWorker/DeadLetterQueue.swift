import Logging
import TributaryKafka

/// Why a record is dead-lettered, for the DLQ headers.
struct PoisonReason: Sendable {
    /// `__connect.errors.exception.class.name`, e.g. `tributary.DecodeError.malformed-value`
    /// or `opensearch.mapper_parsing_exception`.
    var className: String
    /// `__connect.errors.exception.message`.
    var message: String
    /// The OpenSearch item status, when OpenSearch rejected the record.
    var openSearchStatus: Int?
    /// The OpenSearch `error.type`, when OpenSearch rejected the record.
    var openSearchErrorType: String?
}

/// Writes poison pills to the dead-letter topic: the original key, value and
/// headers, plus Kafka Connect's error-context headers.
///
/// Not thread-safe: used from the pipeline's driver thread only. A record is
/// confirmed only when its delivery report arrives without error; a failed
/// delivery is reported back so the pipeline can send it again.
final class DeadLetterQueue {
    /// The header names, as Kafka Connect's DLQ reporter writes them.
    enum Header {
        static let topic = "__connect.errors.topic"
        static let partition = "__connect.errors.partition"
        static let offset = "__connect.errors.offset"
        static let connectorName = "__connect.errors.connector.name"
        static let stage = "__connect.errors.stage"
        static let exceptionClass = "__connect.errors.exception.class.name"
        static let exceptionMessage = "__connect.errors.exception.message"
        static let openSearchStatus = "__tributary.errors.opensearch.status"
        static let openSearchErrorType = "__tributary.errors.opensearch.error.type"
    }

    let topic: String
    private let producer: KafkaProducer
    private let connector: String

    init(topic: String, connector: String, kafka: [String: String], logger: Logger) throws(KafkaError) {
        self.topic = topic
        self.connector = connector
        let configuration = ProducerProperties.derived(from: kafka, clientID: "\(kafka["client.id"] ?? "tributary")-dlq")
        producer = try KafkaProducer(configuration: configuration, logger: logger)
    }

    /// Queues `message` for the dead-letter topic; `token` comes back in its
    /// delivery report.
    func send(_ message: KafkaMessage, reason: PoisonReason, token: UInt64) throws(KafkaError) {
        var headers = message.headers
        func add(_ key: String, _ value: String) { headers.append(KafkaHeader(key: key, value: Array(value.utf8))) }
        add(Header.topic, message.topic)
        add(Header.partition, String(message.partition))
        add(Header.offset, String(message.offset))
        add(Header.connectorName, connector)
        add(Header.stage, reason.openSearchStatus == nil ? "VALUE_CONVERTER" : "TASK_PUT")
        add(Header.exceptionClass, reason.className)
        add(Header.exceptionMessage, reason.message)
        if let status = reason.openSearchStatus { add(Header.openSearchStatus, String(status)) }
        if let type = reason.openSearchErrorType { add(Header.openSearchErrorType, type) }
        try producer.produce(topic: topic, partition: nil, key: message.key, value: message.value, headers: headers, token: token)
    }

    /// Serves delivery reports and returns them.
    func poll() -> [DeliveryReport] {
        producer.poll(timeoutMs: 0)
        return producer.takeDeliveryReports()
    }

    /// Messages queued or in flight to the broker.
    var outstanding: Int { producer.outstanding }

    /// Waits up to `timeoutMs` for every queued message to be delivered.
    func flush(timeoutMs: Int32) -> [DeliveryReport] {
        _ = producer.flush(timeoutMs: timeoutMs)
        return producer.takeDeliveryReports()
    }
}
