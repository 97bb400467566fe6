import Testing
@testable import TributaryKafka

struct FetchStallWatchTests {
    /// 1 MB and 1,000 messages.
    func watch() -> FetchStallWatch { FetchStallWatch(byteBound: 1 << 20, messageBound: 1000) }

    /// `pollEnded`, outside `#expect` (which cannot mutate).
    func ended(_ watch: inout FetchStallWatch, taken: Int, payloadBytes: Int, left: Int) -> Bool {
        watch.pollEnded(taken: taken, payloadBytes: payloadBytes, left: left)
    }

    @Test func aQueueThatNeverCameNearItsBoundsIsNeverRestarted() {
        var watch = watch()
        for _ in 0..<100 {
            // 100 × 1 KB taken, 100 left: a fifth of the byte bound.
            #expect(ended(&watch, taken: 100, payloadBytes: 100 * 1024, left: 100) == false)
            #expect(ended(&watch, taken: 100, payloadBytes: 100 * 1024, left: 0) == false)
        }
    }

    @Test func nearingTheByteBoundThenEmptyingTheQueueRestartsOnce() {
        var watch = watch()
        #expect(ended(&watch, taken: 10, payloadBytes: 10 * 4096, left: 290) == false)  // about 1.2 MB queued
        #expect(watch.cameNearBound)
        #expect(ended(&watch, taken: 200, payloadBytes: 200 * 4096, left: 90) == false)  // not empty yet
        #expect(ended(&watch, taken: 90, payloadBytes: 90 * 4096, left: 0))
        // Once per approach to the bound.
        #expect(ended(&watch, taken: 0, payloadBytes: 0, left: 0) == false)
        #expect(ended(&watch, taken: 10, payloadBytes: 10 * 4096, left: 0) == false)
        // One poll that takes a near-full queue at once restarts at once.
        #expect(ended(&watch, taken: 200, payloadBytes: 200 * 4096, left: 0))
    }

    @Test func halfOfTheByteBoundIsNearButLessIsNot() {
        var watch = FetchStallWatch(byteBound: 1 << 20, messageBound: 100_000)
        #expect(ended(&watch, taken: 1, payloadBytes: 1024, left: 510) == false)  // 511 KB
        #expect(!watch.cameNearBound)
        #expect(ended(&watch, taken: 1, payloadBytes: 1024, left: 511) == false)  // 512 KB
        #expect(watch.cameNearBound)
    }

    @Test func whatIsLeftIsCountedAtTheMeanPayload() {
        var watch = FetchStallWatch(byteBound: 1 << 20, messageBound: 100_000)
        #expect(ended(&watch, taken: 10, payloadBytes: 10 * 1000, left: 0) == false)
        // 10 taken at 1,000 bytes, 600 left at a mean of 1,000 · 0.75 + 1,000 · 0.25.
        #expect(ended(&watch, taken: 10, payloadBytes: 10 * 1000, left: 600) == false)
        #expect(watch.cameNearBound)
    }

    @Test func manySmallMessagesNearTheMessageBound() {
        var watch = watch()
        #expect(ended(&watch, taken: 10, payloadBytes: 10, left: 489) == false)  // 499 one-byte messages
        #expect(!watch.cameNearBound)
        #expect(ended(&watch, taken: 10, payloadBytes: 10, left: 490) == false)  // 500
        #expect(watch.cameNearBound)
        #expect(ended(&watch, taken: 490, payloadBytes: 490, left: 0))
    }

    @Test func theMeanFollowsRecentPolls() {
        var watch = watch()
        _ = watch.pollEnded(taken: 10, payloadBytes: 10 * 100, left: 0)
        #expect(watch.meanPayloadBytes == 100)
        for _ in 0..<40 { _ = watch.pollEnded(taken: 10, payloadBytes: 10 * 8000, left: 0) }
        #expect(watch.meanPayloadBytes > 7900 && watch.meanPayloadBytes <= 8000)
        // An empty poll leaves it alone.
        let before = watch.meanPayloadBytes
        _ = watch.pollEnded(taken: 0, payloadBytes: 0, left: 0)
        #expect(watch.meanPayloadBytes == before)
    }

    @Test func itKeepsTheNewestFourPartitionsOfEachBroker() {
        var watch = watch()
        func tp(_ partition: Int32) -> TopicPartition { TopicPartition(topic: "t", partition: partition) }
        for partition in Int32(0)..<6 { watch.fetched(tp(partition), from: 1) }
        watch.fetched(tp(10), from: 2)
        watch.fetched(tp(3), from: 1)  // seen again: moves to the front, no duplicate
        #expect(watch.recentPartitions.map(\.broker) == [1, 2])
        #expect(watch.recentPartitions[0].partitions == [tp(3), tp(5), tp(4), tp(2)])
        #expect(watch.recentPartitions[1].partitions == [tp(10)])
        // The same partition again changes nothing.
        watch.fetched(tp(3), from: 1)
        #expect(watch.recentPartitions[0].partitions == [tp(3), tp(5), tp(4), tp(2)])
    }
}

struct FetchStallWatchRestartOffsetTests {
    let p = TopicPartition(topic: "t", partition: 0)

    @Test func aPositionWinsOverWhereARestartSeeked() {
        var watch = FetchStallWatch(byteBound: 1 << 20, messageBound: 1000)
        #expect(watch.restartOffset(of: p, position: nil) == nil)
        watch.restarted(p, at: 40)
        #expect(watch.restartOffset(of: p, position: nil) == 40)
        #expect(watch.restartOffset(of: p, position: 55) == 55)
    }

    @Test func anAssignmentChangeForgetsWhereRestartsSeeked() {
        // A partition assigned again starts from its committed offset, which
        // may be behind an earlier restart's: seeking there would skip records.
        var watch = FetchStallWatch(byteBound: 1 << 20, messageBound: 1000)
        watch.restarted(p, at: 40)
        watch.assignmentChanged()
        #expect(watch.restartOffset(of: p, position: nil) == nil)
    }
}
