import Foundation
import Testing
@testable import TributaryKafka

/// A prefetch bound far below the backlog, on a real (mock) cluster: the
/// consumer must restart librdkafka's idle fetchers (`FetchStallWatch`)
/// instead of waiting up to a second each time the queue fills, and its
/// seeks must neither skip nor repeat a message.
@Suite(.timeLimit(.minutes(1)))
struct FetchRestartTests {
    static let partitions: Int32 = 6
    static let perPartition = 100

    /// 600 messages of 16 KB (9.6 MB) over 3 brokers and 6 partitions, and
    /// a member whose prefetch holds 512 KB.
    func loadedMember(_ name: String) throws -> (cluster: MockKafkaCluster, member: GroupMember) {
        let logger = testLogger(name)
        let cluster = try MockKafkaCluster(brokers: 3, logger: logger)
        try cluster.createTopic("backlog", partitions: Self.partitions)
        let producer = try KafkaProducer(configuration: producerConfig(cluster, ["linger.ms": "50"]), logger: logger)
        let filler = [UInt8](repeating: UInt8(ascii: "x"), count: 16 * 1024)
        let messages = (0..<(Int(Self.partitions) * Self.perPartition)).map { i in
            (partition: Int32?(Int32(i) % Self.partitions), key: Optional(bytes("k\(i)")), value: Optional(bytes("\(i):") + filler),
             headers: [KafkaHeader]())
        }
        let reports = try produceAll(producer, topic: "backlog", messages)
        #expect(reports.values.allSatisfy { $0.error == nil })
        let config = consumerConfig(cluster, group: "g-\(name)", [
            "queued.max.messages.kbytes": "512",
            "fetch.max.bytes": "1048576",
            "max.partition.fetch.bytes": "262144",
            // As the worker sets it: a broker sends one Fetch at a time, and
            // with partitions already at their end that Fetch waits this long.
            "fetch.wait.max.ms": "50",
        ])
        return (cluster, try GroupMember(config, topics: ["backlog"], inPlace: true, logger: logger))
    }

    /// Every partition's offsets exactly once and in order, each message its own.
    func expectExact(_ messages: [KafkaMessage]) {
        for partition in Int32(0)..<Self.partitions {
            let mine = messages.filter { $0.partition == partition }
            #expect(mine.map(\.offset) == (0..<Int64(Self.perPartition)).map { $0 })
            for message in mine {
                let i = Int(message.offset) * Int(Self.partitions) + Int(partition)
                #expect(text(message.key) == "k\(i)")
            }
        }
    }

    /// Steps `member` until it holds `count` messages; returns the longest
    /// time between two polls that returned messages, counted once every
    /// partition has delivered a message: a broker none of whose partitions
    /// has delivered yet cannot be restarted (see `restartFetches`).
    @discardableResult
    func drain(_ member: GroupMember, to count: Int, seconds: Int = 30) throws -> Duration {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: .seconds(seconds))
        var delivered = Set(member.messages.map(\.partition))
        var lastArrival: ContinuousClock.Instant?
        var longestGap = Duration.zero
        while member.messages.count < count {
            guard clock.now < deadline else { throw TimedOut(what: "\(count) messages (have \(member.messages.count))") }
            let before = member.messages.count
            try member.step(timeoutMs: 100)
            guard member.messages.count > before else { continue }
            let now = clock.now
            if let lastArrival { longestGap = max(longestGap, lastArrival.duration(to: now)) }
            for message in member.messages[before...] { delivered.insert(message.partition) }
            if delivered.count == Int(Self.partitions) { lastArrival = now }
        }
        return longestGap
    }

    @Test func aBacklogTwentyTimesThePrefetchDrainsWithoutSecondLongPauses() async throws {
        try await onThread {
            let (cluster, member) = try loadedMember("restart-gaps")
            defer { withExtendedLifetime(cluster) {} }
            let longestGap = try drain(member, to: Int(Self.partitions) * Self.perPartition)
            // Without restarts, librdkafka 2.0 leaves its fetchers idle for up
            // to a second each time the 512 KB queue fills (about 900 ms here).
            #expect(longestGap < .milliseconds(500), "longest pause between messages: \(longestGap)")
            #expect(member.consumer.fetchRestarts > 0)
            expectExact(member.messages)
            member.consumer.close()
        }
    }

    @Test func restartsAroundAPauseNeitherSkipNorRepeat() async throws {
        try await onThread {
            let (cluster, member) = try loadedMember("restart-pause")
            defer { withExtendedLifetime(cluster) {} }
            try drain(member, to: 200)
            let assigned = Array(member.assigned)
            try member.consumer.pause(assigned)
            let paused = member.messages.count
            let clock = ContinuousClock()
            let until = clock.now.advanced(by: .milliseconds(400))
            while clock.now < until { try member.step(timeoutMs: 50) }
            #expect(member.messages.count == paused)
            try member.consumer.resume(assigned)
            try drain(member, to: Int(Self.partitions) * Self.perPartition)
            #expect(member.consumer.fetchRestarts > 0)
            expectExact(member.messages)
            member.consumer.close()
        }
    }
}
