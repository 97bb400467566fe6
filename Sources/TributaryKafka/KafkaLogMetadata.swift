/// Metadata keys TributaryKafka puts on its log records (one place, so
/// dashboards and tests can rely on them).
enum KafkaLogMetadata {
    /// librdkafka's instance name, e.g. `rdkafka#consumer-1`.
    static let client = "kafka.client"
    /// librdkafka's log facility, e.g. `FAIL`, `REQTMOUT`, `CGRP`.
    static let facility = "kafka.facility"
    /// The text librdkafka logged.
    static let text = "kafka.text"
    static let errorCode = "kafka.error.code"
    static let errorName = "kafka.error.name"
    static let errorMessage = "kafka.error.message"
    static let topic = "kafka.topic"
    static let partition = "kafka.partition"
    static let offset = "kafka.offset"
    static let partitions = "kafka.partitions"
}
