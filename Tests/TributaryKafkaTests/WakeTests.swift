import Foundation
import Testing
@testable import TributaryKafka

@Suite(.timeLimit(.minutes(1)))
struct WakeTests {
    @Test func wakeReturnsABlockedPollWithinASecond() async throws {
        try await onThread {
            let logger = testLogger("wake")
            let cluster = try MockKafkaCluster(brokers: 1, logger: logger)
            try cluster.createTopic("quiet", partitions: 1)
            let member = try GroupMember(consumerConfig(cluster, group: "g-wake"), topics: ["quiet"], logger: logger)
            try drive([member], seconds: 15, until: "assignment") { member.assigned.count == 1 }

            let consumer = member.consumer
            let started = DispatchSemaphore(value: 0)
            Thread.detachNewThread {
                started.wait()
                Thread.sleep(forTimeInterval: 0.3)
                consumer.wake()
            }
            let clock = ContinuousClock()
            let begin = clock.now
            started.signal()
            let messages = try consumer.poll(maxMessages: 10, timeoutMs: 10_000)
            let elapsed = begin.duration(to: clock.now)
            #expect(messages.isEmpty)
            #expect(elapsed < .seconds(1.3))
            #expect(elapsed >= .milliseconds(250))

            // A later poll blocks normally again.
            let again = clock.now
            _ = try consumer.poll(maxMessages: 10, timeoutMs: 300)
            #expect(again.duration(to: clock.now) >= .milliseconds(250))
        }
    }
}
