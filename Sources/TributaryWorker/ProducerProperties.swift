/// librdkafka properties for the sink's producers (dead-letter queue, replay).
enum ProducerProperties {
    /// Consumer-only properties, which a producer must not be given.
    static let consumerOnly: Set<String> = [
        "group.id", "group.instance.id", "enable.auto.commit", "enable.auto.offset.store", "auto.offset.reset",
        "partition.assignment.strategy", "session.timeout.ms", "heartbeat.interval.ms", "max.poll.interval.ms",
        "fetch.min.bytes", "fetch.wait.max.ms", "fetch.max.bytes", "max.partition.fetch.bytes", "queued.min.messages",
        "queued.max.messages.kbytes", "isolation.level", "check.crcs", "auto.commit.interval.ms",
        "enable.partition.eof", "coordinator.query.interval.ms", "group.protocol.type",
    ]

    /// The connector's connection and security settings for a durable
    /// producer: `acks=all` and idempotence, so an acknowledged record is on
    /// every in-sync replica exactly once.
    static func derived(from kafka: [String: String], clientID: String) -> [String: String] {
        var configuration: [String: String] = [:]
        for (key, value) in kafka where !consumerOnly.contains(key) { configuration[key] = value }
        configuration["client.id"] = clientID
        configuration["acks"] = "all"
        configuration["enable.idempotence"] = "true"
        return configuration
    }
}
