import Testing
@testable import TributaryKafka

@Suite(.timeLimit(.minutes(1)))
struct CloseTests {
    @Test(arguments: ["range", "cooperative-sticky"])
    func closeWithAnUnansweredAssignDoesNotHang(strategy: String) async throws {
        try await onThread {
            let logger = testLogger("close-\(strategy)")
            let cluster = try MockKafkaCluster(brokers: 1, logger: logger)
            try cluster.createTopic("c", partitions: 2)
            let consumer = try KafkaConsumer(
                configuration: consumerConfig(cluster, group: "g-close", ["partition.assignment.strategy": strategy]),
                logger: logger)
            try consumer.subscribe(topics: ["c"])
            let clock = ContinuousClock()
            let deadline = clock.now.advanced(by: .seconds(15))
            var events: [RebalanceEvent] = []
            while events.isEmpty, clock.now < deadline {
                _ = try consumer.poll(maxMessages: 10, timeoutMs: 100)
                events = consumer.takeRebalanceEvents()
            }
            #expect(events.count == 1)
            let start = clock.now
            consumer.close()  // the assign was never answered
            #expect(start.duration(to: clock.now) < .seconds(8))
        }
    }

    @Test(arguments: ["range", "cooperative-sticky"])
    func closeWithAnUnansweredRevokeDoesNotHang(strategy: String) async throws {
        try await onThread {
            let logger = testLogger("close-revoke-\(strategy)")
            let cluster = try MockKafkaCluster(brokers: 1, logger: logger)
            try cluster.createTopic("c", partitions: 2)
            let config = consumerConfig(
                cluster, group: "g-close-revoke",
                ["partition.assignment.strategy": strategy, "session.timeout.ms": "3000", "heartbeat.interval.ms": "300"])
            let first = try GroupMember(config, topics: ["c"], logger: logger)
            try drive([first], seconds: 15, until: "first assigned") { first.assigned.count == 2 }

            let second = try GroupMember(config, topics: ["c"], logger: logger)
            let clock = ContinuousClock()
            let deadline = clock.now.advanced(by: .seconds(15))
            var revoked = false
            while !revoked, clock.now < deadline {
                try second.step(timeoutMs: 50)
                _ = try first.consumer.poll(maxMessages: 10, timeoutMs: 50)
                revoked = first.consumer.takeRebalanceEvents().contains { if case .revoke = $0 { true } else { false } }
            }
            #expect(revoked)
            let start = clock.now
            first.consumer.close()  // the revoke was never answered
            #expect(start.duration(to: clock.now) < .seconds(8))
            try drive([second], seconds: 15, until: "second takes over") { second.assigned.count == 2 }
        }
    }
}
