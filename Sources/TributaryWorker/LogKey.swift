import Logging

/// The metadata keys of Tributary's structured logs, in one place.
enum LogKey {
    static let connector = "connector"
    static let topic = "kafka.topic"
    static let partition = "kafka.partition"
    static let offset = "kafka.offset"
    static let partitions = "kafka.partitions"
    static let url = "opensearch.url"
    static let index = "opensearch.index"
    static let status = "opensearch.status"
    static let error = "error"
    static let errorClass = "error.class"
    static let batchItems = "bulk.items"
    static let delayMs = "retry.delay_ms"
    static let timeoutMs = "timeout_ms"
    static let attempt = "retry.attempt"
    static let dlqTopic = "dlq.topic"
}
