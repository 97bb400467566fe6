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

    /// A one-broker cluster with a two-partition topic, and a member that holds both.
    static func assignedMember(_ name: String) throws -> (MockKafkaCluster, GroupMember) {
        let logger = testLogger(name)
        let cluster = try MockKafkaCluster(brokers: 1, logger: logger)
        try cluster.createTopic("c", partitions: 2)
        let member = try GroupMember(consumerConfig(cluster, group: "g-\(name)"), topics: ["c"], logger: logger)
        try drive([member], seconds: 15, until: "assigned") { member.assigned.count == 2 }
        return (cluster, member)
    }

    @Test("a bounded close returns true when the group is left in time")
    func boundedCloseFinishes() async throws {
        try await onThread {
            let (cluster, member) = try Self.assignedMember("close-bounded")
            withExtendedLifetime(cluster) {
                #expect(member.consumer.close(timeoutMs: 10_000))
                member.consumer.wake()  // released with the close: nothing to wake
                #expect(member.consumer.close(timeoutMs: 10_000))  // idempotent
            }
        }
    }

    @Test("a bounded close stops waiting when the group leave is slow, and the consumer can still be released")
    func boundedCloseGivesUp() async throws {
        try await onThread {
            let (cluster, assigned) = try Self.assignedMember("close-slow")
            var member: GroupMember? = assigned
            // Every request to the coordinator now takes 2 s: the LeaveGroup too.
            try cluster.setBrokerRoundTripTime(1, milliseconds: 2_000)
            let clock = ContinuousClock()
            let start = clock.now
            #expect(member!.consumer.close(timeoutMs: 300) == false)
            #expect(start.duration(to: clock.now) < .seconds(2))
            member!.consumer.wake()
            member = nil  // the close goes on holding the instance; nothing is destroyed under it
            try cluster.setBrokerRoundTripTime(1, milliseconds: 0)
        }
    }
}
