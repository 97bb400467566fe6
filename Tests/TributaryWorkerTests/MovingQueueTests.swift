import DequeModule
import Testing
@testable import TributaryWorker

@Suite struct MovingQueueTests {
    /// Random appends, removals, in-place edits and clears, against `Deque`
    /// as the model; runs long enough to cross every compaction path.
    @Test func behaves_as_a_fifo_through_every_compaction() {
        var generator = SystemRandomNumberGenerator()
        for round in 0..<40 {
            var queue = MovingQueue<[Int]>()
            var model = Deque<[Int]>()
            var next = 0
            // Some rounds grow far past the compaction minimum before draining.
            let appendBias = round % 2 == 0 ? 0.55 : 0.8
            for _ in 0..<4000 {
                let roll = Double.random(in: 0..<1, using: &generator)
                if roll < appendBias {
                    queue.append([next, next])
                    model.append([next, next])
                    next += 1
                } else if roll < 0.97 {
                    guard !model.isEmpty else { continue }
                    #expect(queue.removeFirst() == model.removeFirst())
                } else if roll < 0.995 {
                    guard !model.isEmpty else { continue }
                    let position = Int.random(in: 0..<model.count, using: &generator)
                    queue.withElement(at: position) { $0.append(-1) }
                    model[position].append(-1)
                } else {
                    queue.removeAll()
                    model.removeAll()
                }
                #expect(queue.count == model.count)
                #expect(queue.isEmpty == model.isEmpty)
            }
            for position in 0..<model.count {
                #expect(queue.withElement(at: position) { $0 } == model[position])
            }
            while !model.isEmpty { #expect(queue.removeFirst() == model.removeFirst()) }
            #expect(queue.isEmpty)
        }
    }

    /// A long-lived queue that never empties keeps its storage to about
    /// twice its length: the consumed prefix is dropped.
    @Test func a_queue_that_never_empties_does_not_grow_without_bound() {
        var queue = MovingQueue<Int>()
        for value in 0..<10 { queue.append(value) }
        var expected = 0
        for value in 10..<1_000_000 {
            queue.append(value)
            #expect(queue.removeFirst() == expected)
            expected += 1
        }
        #expect(queue.count == 10)
        #expect(queue.storageCount <= 2 * MovingQueue<Int>.compactionMinimum + 10)
    }

    /// Elements leave with their references intact and unshared: the queue
    /// keeps no second reference after `removeFirst`.
    @Test func removed_elements_are_not_shared_with_the_queue() {
        final class Box {}
        var queue = MovingQueue<Box>()
        for _ in 0..<600 { queue.append(Box()) }
        for _ in 0..<600 {
            var box = queue.removeFirst()
            #expect(isKnownUniquelyReferenced(&box))
        }
    }
}
