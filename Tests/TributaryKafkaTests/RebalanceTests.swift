import Testing
@testable import TributaryKafka

@Suite(.timeLimit(.minutes(1)))
struct RebalanceTests {
    @Test(arguments: ["range", "cooperative-sticky"])
    func secondMemberJoiningSplitsSixPartitions(strategy: String) async throws {
        try await onThread {
            let logger = testLogger("rebalance-\(strategy)")
            let cluster = try MockKafkaCluster(brokers: 3, logger: logger)
            try cluster.createTopic("six", partitions: 6)
            // The mock holds a rebalance open for session.timeout.ms - 1000 ms
            // waiting for members to rejoin, so a short session keeps this fast.
            let config = consumerConfig(
                cluster, group: "g-six",
                ["partition.assignment.strategy": strategy, "session.timeout.ms": "3000", "heartbeat.interval.ms": "300"])
            let all = Set((0..<6).map { TopicPartition(topic: "six", partition: Int32($0)) })

            let first = try GroupMember(config, topics: ["six"], logger: logger)
            try drive([first], seconds: 15, until: "first member owns all") { first.assigned == all }
            #expect(first.assigns.count == 1)
            #expect(Set(first.assigns[0]) == all)
            #expect(first.consumer.rebalanceProtocol == (strategy == "range" ? .eager : .cooperative))

            let second = try GroupMember(config, topics: ["six"], logger: logger)
            try drive([first, second], seconds: 18, until: "split 3/3") {
                first.assigned.count == 3 && second.assigned.count == 3
            }
            #expect(first.assigned.union(second.assigned) == all)
            #expect(first.assigned.isDisjoint(with: second.assigned))
            #expect(try Set(first.consumer.assignment()) == first.assigned)

            let revoked = first.revokes
            #expect(!revoked.isEmpty)
            if strategy == "range" {
                // Eager: everything is revoked, then a fresh half assigned.
                #expect(Set(revoked[0]) == all)
            } else {
                // Cooperative: only the moved half is revoked; the kept half never stops.
                #expect(revoked.count == 1)
                #expect(Set(revoked[0]) == second.assigned)
                // It also answers incremental assigns that add nothing (still required).
                #expect(first.assigns.filter { !$0.isEmpty }.count == 1)
            }
            second.consumer.close()
            first.consumer.close()
        }
    }

    @Test func pauseStopsDeliveryAndResumeRestartsIt() async throws {
        try await onThread {
            let logger = testLogger("pause")
            let cluster = try MockKafkaCluster(brokers: 1, logger: logger)
            try cluster.createTopic("p", partitions: 1)
            let producer = try KafkaProducer(configuration: producerConfig(cluster), logger: logger)
            let batch = (0..<10).map { i in (partition: Int32?.none, key: Optional(bytes("\(i)")), value: Optional(bytes("\(i)")), headers: [KafkaHeader]()) }
            _ = try produceAll(producer, topic: "p", batch)

            let member = try GroupMember(consumerConfig(cluster, group: "g-pause"), topics: ["p"], logger: logger)
            try drive([member], seconds: 15, until: "first 10") { member.messages.count == 10 }

            let p0 = TopicPartition(topic: "p", partition: 0)
            try member.consumer.pause([p0])
            _ = try produceAll(producer, topic: "p", batch)
            let clock = ContinuousClock()
            let pausedUntil = clock.now.advanced(by: .milliseconds(1500))
            while clock.now < pausedUntil { try member.step() }
            #expect(member.messages.count == 10)

            try member.consumer.resume([p0])
            try drive([member], seconds: 10, until: "10 more after resume") { member.messages.count == 20 }
            #expect(member.messages.map(\.offset) == Array(0..<20))
        }
    }

    @Test func regexSubscriptionMatchesTopics() async throws {
        try await onThread {
            let logger = testLogger("regex")
            let cluster = try MockKafkaCluster(brokers: 1, logger: logger)
            try cluster.createTopic("db.a", partitions: 1)
            try cluster.createTopic("db.b", partitions: 2)
            try cluster.createTopic("other", partitions: 1)
            let member = try GroupMember(consumerConfig(cluster, group: "g-regex"), topics: ["^db\\..*"], logger: logger)
            try drive([member], seconds: 15, until: "3 partitions") { member.assigned.count == 3 }
            #expect(Set(member.assigned.map(\.topic)) == ["db.a", "db.b"])
        }
    }
}
