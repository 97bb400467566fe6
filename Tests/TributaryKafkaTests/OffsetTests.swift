import Testing
@testable import TributaryKafka

@Suite(.timeLimit(.minutes(1)))
struct OffsetTests {
    @Test func syncCommitIsReadBackByCommitted() async throws {
        try await onThread {
            let logger = testLogger("commit-sync")
            let cluster = try MockKafkaCluster(brokers: 3, logger: logger)
            try cluster.createTopic("t", partitions: 2)
            let member = try GroupMember(consumerConfig(cluster, group: "g-sync"), topics: ["t"], logger: logger)
            try drive([member], seconds: 15, until: "assignment") { member.assigned.count == 2 }

            let p0 = TopicPartition(topic: "t", partition: 0)
            let p1 = TopicPartition(topic: "t", partition: 1)
            #expect(try member.consumer.committed([p0, p1], timeoutMs: 5000).isEmpty)
            try member.consumer.commit([p0: 5, p1: 7], synchronous: true)
            #expect(try member.consumer.committed([p0, p1], timeoutMs: 5000) == [p0: 5, p1: 7])
            #expect(member.consumer.takeCommitResults().isEmpty)  // sync commits record nothing
        }
    }

    @Test func asyncCommitResultArrivesThroughPoll() async throws {
        try await onThread {
            let logger = testLogger("commit-async")
            let cluster = try MockKafkaCluster(brokers: 1, logger: logger)
            try cluster.createTopic("t", partitions: 1)
            let member = try GroupMember(consumerConfig(cluster, group: "g-async"), topics: ["t"], logger: logger)
            try drive([member], seconds: 15, until: "assignment") { member.assigned.count == 1 }

            let p0 = TopicPartition(topic: "t", partition: 0)
            try member.consumer.commit([p0: 42], synchronous: false)
            var results: [CommitResult] = []
            try drive([member], seconds: 10, until: "commit result") {
                results += member.consumer.takeCommitResults()
                return !results.isEmpty
            }
            #expect(results.count == 1)
            #expect(results[0].error == nil)
            #expect(results[0].offsets == [p0: 42])
            #expect(try member.consumer.committed([p0], timeoutMs: 5000) == [p0: 42])
        }
    }

    @Test func offsetCommitRequestErrorThrowsAndRetrySucceeds() async throws {
        try await onThread {
            let logger = testLogger("commit-error")
            let cluster = try MockKafkaCluster(brokers: 3, logger: logger)
            try cluster.createTopic("t", partitions: 1)
            let member = try GroupMember(consumerConfig(cluster, group: "g-err"), topics: ["t"], logger: logger)
            try drive([member], seconds: 15, until: "assignment") { member.assigned.count == 1 }

            let p0 = TopicPartition(topic: "t", partition: 0)
            // OffsetCommit (API key 8) fails once with REBALANCE_IN_PROGRESS (27),
            // which librdkafka does not retry by itself.
            cluster.pushRequestErrors(apiKey: 8, errors: [KafkaError.Code.rebalanceInProgress])
            #expect {
                try member.consumer.commit([p0: 3], synchronous: true)
            } throws: { error in
                let error = error as? KafkaError
                return error?.isRebalanceInProgress == true && error?.isRetriable == true && error?.isFatal == false
            }
            try member.consumer.commit([p0: 3], synchronous: true)
            #expect(try member.consumer.committed([p0], timeoutMs: 5000) == [p0: 3])
        }
    }

    @Test func watermarksAreQueriedAndCached() async throws {
        try await onThread {
            let logger = testLogger("watermarks")
            let cluster = try MockKafkaCluster(brokers: 1, logger: logger)
            try cluster.createTopic("w", partitions: 1)
            let producer = try KafkaProducer(configuration: producerConfig(cluster), logger: logger)
            _ = try produceAll(producer, topic: "w", (0..<5).map { _ in (partition: nil, key: nil, value: bytes("x"), headers: []) })

            let member = try GroupMember(consumerConfig(cluster, group: "g-wm"), topics: ["w"], logger: logger)
            let p0 = TopicPartition(topic: "w", partition: 0)
            #expect(member.consumer.cachedWatermarks(p0) == nil)
            let queried = try member.consumer.queryWatermarks(p0, timeoutMs: 5000)
            #expect(queried.low == 0 && queried.high == 5)
            #expect(try member.consumer.partitionCount(topic: "w", timeoutMs: 5000) == 1)
            try drive([member], seconds: 15, until: "5 messages") { member.messages.count == 5 }
            #expect(member.consumer.cachedWatermarks(p0)?.high == 5)
        }
    }
}
