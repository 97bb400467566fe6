import DequeModule
import Foundation
import Testing
import TributaryCore
import TributaryKafka
@testable import TributaryWorker

/// Records in memory, read as the stage reads a poll's batch.
private final class ArrayRecords: PolledRecords, @unchecked Sendable {
    let messages: [KafkaMessage]

    init(_ messages: [KafkaMessage]) { self.messages = messages }

    /// `count` records of partition 0 of `topic`, from `first`, each valued with its offset.
    convenience init(topic: String = "t", first: Int64, count: Int) {
        self.init((0..<Int64(count)).map { index in
            KafkaMessage(topic: topic, partition: 0, offset: first + index, key: nil, value: Array("\(first + index)".utf8))
        })
    }

    var count: Int { messages.count }
    func topic(at index: Int) -> String { messages[index].topic }
    func partition(at index: Int) -> Int32 { messages[index].partition }
    func offset(at index: Int) -> Int64 { messages[index].offset }
    func withKeyAndValue<R, E: Error>(
        at index: Int, _ body: (UnsafeRawBufferPointer?, UnsafeRawBufferPointer?) throws(E) -> R
    ) throws(E) -> R {
        let message = messages[index]
        // `withUnsafeBytes` rethrows untyped: carry the typed error out.
        func withBytes<T>(_ bytes: [UInt8]?, _ body: (UnsafeRawBufferPointer?) -> T) -> T {
            guard let bytes else { return body(nil) }
            return bytes.withUnsafeBytes { body($0) }
        }
        return try withBytes(message.key) { key in
            withBytes(message.value) { value in Result { () throws(E) in try body(key, value) } }
        }.get()
    }
    func message(at index: Int) -> KafkaMessage { messages[index] }
}

/// A decision that records what the router saw: the value read in place, as an offset.
private func echo(_ records: any PolledRecords, _ index: Int) -> Result<DocumentRouter.Decision, DecodeError> {
    let seen = records.withKeyAndValue(at: index) { _, raw in raw.map { String(decoding: $0, as: UTF8.self) } ?? "" }
    guard Int64(seen) == records.offset(at: index) else {
        return .failure(DecodeError(.malformedValue, "value \(seen) read for offset \(records.offset(at: index))"))
    }
    return .success(.skip(.truncate))
}

@Suite("Routing stage", .timeLimit(.minutes(1)))
struct RoutingStageTests {
    /// The offsets a set of taken batches holds, in the order handed back.
    private static func offsets(_ batches: [RoutingStage.RoutedBatch]) -> [Int64] {
        batches.flatMap { $0.records.map(\.original.offset) }
    }

    @Test("every batch size, alone or behind others, comes back whole, once, in order", arguments: [1, 2, 4])
    func everySize(parallelism: Int) {
        let stage = RoutingStage(parallelism: parallelism, route: echo, onRouted: {})
        var expected: [Int64] = []
        var stamps: [UInt64] = []
        var next: Int64 = 0
        // Sizes around the inline bound (64) and the chunking, each submitted
        // while a large batch is still pending, so it is chunked too.
        for (round, size) in [1, 2, 3, 5, 7, 9, 63, 64, 65, 100, 2000, 2001].enumerated() {
            for batch in [2000, size] {
                stage.submit(ArrayRecords(first: next, count: batch), stamp: UInt64(round))
                expected += (next..<next + Int64(batch))
                stamps.append(UInt64(round))
                next += Int64(batch)
            }
        }
        #expect(stage.pendingRecords == expected.count)
        let taken = stage.waitForAll()
        #expect(Self.offsets(taken) == expected)
        #expect(taken.map(\.stamp) == stamps)
        for batch in taken {
            for record in batch.records {
                guard case .success(.skip) = record.decision else {
                    Issue.record("record \(record.original.offset): \(record.decision)")
                    continue
                }
            }
        }
        #expect(stage.pendingRecords == 0)
        #expect(stage.isEmpty)
    }

    @Test("a small batch with nothing ahead is routed at once, on the caller's thread")
    func inline() {
        let stage = RoutingStage(parallelism: 2, route: echo, onRouted: { Issue.record("inline batches do not notify") })
        stage.submit(ArrayRecords(first: 10, count: 63), stamp: 7)
        let taken = stage.takeRouted()
        #expect(taken.count == 1)
        #expect(taken.first?.stamp == 7)
        #expect(Self.offsets(taken) == Array(10..<73))
    }

    @Test("a finished batch waits behind an unfinished one")
    func headOfLine() {
        let chunks = Chunks()
        let notified = Counter()
        let stage = RoutingStage(parallelism: 2, route: echo, onRouted: { notified.add() }, schedule: { chunks.add($0) })
        stage.submit(ArrayRecords(first: 0, count: 100), stamp: 1)
        stage.submit(ArrayRecords(first: 100, count: 100), stamp: 2)
        #expect(chunks.count == 8)  // two per core and batch
        // The second batch finishes first.
        chunks.run(4..<8)
        #expect(notified.value == 1)
        #expect(stage.takeRouted().isEmpty)
        #expect(stage.pendingRecords == 200)
        // Then all but one chunk of the first: still nothing to take.
        chunks.run(0..<3)
        #expect(stage.takeRouted().isEmpty)
        chunks.run(3..<4)
        #expect(notified.value == 2)
        let taken = stage.takeRouted()
        #expect(taken.map(\.stamp) == [1, 2])
        #expect(Self.offsets(taken) == Array(0..<200))
        #expect(stage.pendingRecords == 0)
    }

    @Test("a route is used by one chunk at a time; idle routes are reused")
    func routesAreNotShared() {
        let made = Counter()
        let overlaps = Counter()
        let makeRoute: RoutingStage.MakeRoute = {
            made.add()
            let busy = Counter()
            return { records, index in
                busy.add()
                defer { busy.remove() }
                if busy.value > 1 { overlaps.add() }
                usleep(20)  // long enough for chunks on other threads to overlap this one
                return echo(records, index)
            }
        }
        // Chunks on Dispatch's threads: several run at once, each with a route of its own.
        let parallel = RoutingStage(parallelism: 4, makeRoute: makeRoute, onRouted: {})
        parallel.submit(ArrayRecords(first: 0, count: 800), stamp: 1)
        let routed = parallel.waitForAll()
        #expect(Self.offsets(routed) == Array(0..<800))
        #expect(routed.flatMap(\.records).allSatisfy { (try? $0.decision.get()) != nil })
        #expect(overlaps.value == 0)
        #expect(made.value >= 1 && made.value <= 8)  // at most one per chunk
        #expect(parallel.routesMade == made.value)

        // Chunks one after another: the first route serves them all.
        let sequential = RoutingStage(parallelism: 4, makeRoute: makeRoute, onRouted: {}, schedule: { $0() })
        let before = made.value
        sequential.submit(ArrayRecords(first: 0, count: 800), stamp: 1)
        sequential.submit(ArrayRecords(first: 800, count: 10), stamp: 2)  // inline, on this thread
        #expect(Self.offsets(sequential.waitForAll()) == Array(0..<810))
        #expect(made.value == before + 1)
    }

    @Test("a route reused for many chunks costs no more per call than a new one")
    func reuseDoesNotSlowRoutes() {
        // Kept in an array unboxed, a closure gained a re-abstraction thunk each
        // time it went back: after n chunks a call went through n thunks.
        let stage = RoutingStage(parallelism: 2, makeRoute: { echo }, onRouted: {}, schedule: { $0() })
        let records = ArrayRecords(first: 0, count: 1)
        func timeChunks(_ count: Int) -> Duration {
            let clock = ContinuousClock()
            return clock.measure {
                for _ in 0..<count {
                    stage.submit(records, stamp: 0)  // one record: routed inline, one chunk
                    _ = stage.takeRouted()
                }
            }
        }
        let first = timeChunks(2_000)
        _ = timeChunks(20_000)
        let last = timeChunks(2_000)
        #expect(stage.routesMade == 1)
        #expect(last < first * 4 + .milliseconds(20), "first 2 000 chunks \(first), 2 000 after 22 000: \(last)")
    }

    @Test("routed records hold their batch until copied out")
    func detach() {
        weak var batch: ArrayRecords?
        var routed: [RoutedRecord] = []
        do {
            let records = ArrayRecords(first: 5, count: 3)
            batch = records
            // Chunks run at once on this thread: none outlives the batch's routing.
            let stage = RoutingStage(parallelism: 2, route: echo, onRouted: {}, schedule: { $0() })
            stage.submit(records, stamp: 1)
            routed = stage.waitForAll().flatMap(\.records)
        }
        #expect(batch != nil)
        for index in routed.indices { routed[index].original.detach() }
        #expect(batch == nil)
        #expect(routed.map(\.original.message.value) == [Array("5".utf8), Array("6".utf8), Array("7".utf8)])
        guard case .copied = routed[0].original else {
            Issue.record("still in place after detach")
            return
        }
    }
}

private final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func add() { lock.withLock { count += 1 } }
    func remove() { lock.withLock { count -= 1 } }
    var value: Int { lock.withLock { count } }
}

/// Chunks of routing work, run when and in the order the test says.
private final class Chunks: @unchecked Sendable {
    private let lock = NSLock()
    private var work: [@Sendable () -> Void] = []
    func add(_ chunk: @escaping @Sendable () -> Void) { lock.withLock { work.append(chunk) } }
    var count: Int { lock.withLock { work.count } }
    func run(_ range: Range<Int>) {
        let chosen = lock.withLock { Array(work[range]) }
        for chunk in chosen { chunk() }
    }
}
