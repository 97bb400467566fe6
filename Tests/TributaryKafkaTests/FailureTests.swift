import Testing
@testable import TributaryKafka

@Suite(.timeLimit(.minutes(1)))
struct FailureTests {
    @Test func produceSucceedsOnceTheLeaderComesBack() async throws {
        try await onThread {
            let logger = testLogger("broker-down")
            let cluster = try MockKafkaCluster(brokers: 3, logger: logger)
            try cluster.createTopic("d", partitions: 1)
            try cluster.setPartitionLeader(topic: "d", partition: 0, brokerID: 2)
            let producer = try KafkaProducer(
                configuration: producerConfig(cluster, ["message.timeout.ms": "15000"]), logger: logger)
            // Connect and learn the leader first.
            _ = try produceAll(producer, topic: "d", [(partition: nil, key: nil, value: bytes("before"), headers: [])])

            try cluster.setBrokerDown(2)
            try producer.produce(topic: "d", partition: nil, key: nil, value: bytes("during"), headers: [], token: 7)
            for _ in 0..<10 { producer.poll(timeoutMs: 100) }
            #expect(producer.takeDeliveryReports().isEmpty)  // held back, not failed
            try cluster.setBrokerUp(2)

            #expect(producer.flush(timeoutMs: 12_000))
            let reports = producer.takeDeliveryReports()
            #expect(reports.count == 1)
            #expect(reports.first?.token == 7)
            #expect(reports.first?.error == nil)
            #expect(reports.first?.offset == 1)
        }
    }

    @Test func produceReportsTimeoutWhileTheLeaderStaysDown() async throws {
        try await onThread {
            let logger = testLogger("broker-gone")
            let cluster = try MockKafkaCluster(brokers: 3, logger: logger)
            try cluster.createTopic("d", partitions: 1)
            try cluster.setPartitionLeader(topic: "d", partition: 0, brokerID: 3)
            // librdkafka 2.0.2 only notices the timeout when the leader's broker
            // thread wakes from its reconnect backoff (up to 10 s by default).
            let producer = try KafkaProducer(
                configuration: producerConfig(cluster, ["message.timeout.ms": "2000", "reconnect.backoff.max.ms": "1000"]),
                logger: logger)
            _ = try produceAll(producer, topic: "d", [(partition: nil, key: nil, value: bytes("before"), headers: [])])

            try cluster.setBrokerDown(3)
            try producer.produce(topic: "d", partition: nil, key: nil, value: bytes("lost"), headers: [], token: 9)
            #expect(producer.flush(timeoutMs: 8000))
            let report = try #require(producer.takeDeliveryReports().first)
            #expect(report.token == 9)
            let error = try #require(report.error)
            #expect(error.code == KafkaError.Code.messageTimedOut)
            #expect(error.isRetriable)
        }
    }

    @Test func fullLocalQueueIsARetriableError() async throws {
        try await onThread {
            let logger = testLogger("queue-full")
            let cluster = try MockKafkaCluster(brokers: 1, logger: logger)
            try cluster.createTopic("q", partitions: 1)
            let producer = try KafkaProducer(
                configuration: producerConfig(cluster, ["queue.buffering.max.messages": "3", "linger.ms": "1000"]),
                logger: logger)
            var thrown: KafkaError?
            for token in UInt64(1)...10 {
                do throws(KafkaError) {
                    try producer.produce(topic: "q", partition: 0, key: nil, value: bytes("x"), headers: [], token: token)
                } catch {
                    thrown = error
                    break
                }
            }
            #expect(thrown?.isQueueFull == true)
            #expect(thrown?.isRetriable == true)
            #expect(producer.flush(timeoutMs: 5000))
            #expect(producer.takeDeliveryReports().allSatisfy { $0.error == nil })
        }
    }
}
