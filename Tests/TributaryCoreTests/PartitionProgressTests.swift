import Testing
@testable import TributaryCore

@Suite("The committable offset (no-loss watermark)")
struct PartitionProgressTests {
    @Test("commits only up to the first unconfirmed record")
    func watermark() {
        var progress = PartitionProgress()
        for offset in Int64(0)..<5 { progress.track(offset) }
        #expect(progress.committable == nil, "the starting position is not worth a commit")
        progress.confirm(1)
        progress.confirm(2)
        #expect(progress.committable == nil, "offset 0 is still in flight")
        progress.confirm(0)
        #expect(progress.committable == 3)
        progress.confirm(4)
        #expect(progress.committable == 3, "offset 3 holds the watermark back")
        progress.confirm(3)
        #expect(progress.committable == 5)
    }

    @Test("gaps in offsets (compaction, transaction markers) are fine")
    func gaps() {
        var progress = PartitionProgress()
        for offset: Int64 in [10, 11, 15, 20] { progress.track(offset) }
        progress.confirm(10)
        progress.confirm(11)
        #expect(progress.committable == 15)
        progress.confirm(20)
        progress.confirm(15)
        #expect(progress.committable == 21)
    }

    @Test("an offset already committed is not offered again; re-deliveries are ignored")
    func committedAndRedelivery() {
        var progress = PartitionProgress()
        progress.track(0)
        progress.confirm(0)
        #expect(progress.committable == 1)
        progress.markCommitted(1)
        #expect(progress.committable == nil)
        #expect(progress.track(0) == false)
        #expect(progress.confirm(99) == false)
        progress.track(1)
        #expect(progress.committable == nil, "offset 1 is unconfirmed and 1 is already committed")
        progress.confirm(1)
        #expect(progress.committable == 2)
    }

    @Test("random confirmation orders never commit past an unconfirmed record")
    func randomOrders() {
        var generator = SeededGenerator(seed: 7)
        for _ in 0..<200 {
            var progress = PartitionProgress()
            var offsets: [Int64] = []
            var next: Int64 = 0
            for _ in 0..<Int.random(in: 1...300, using: &generator) {
                next += Int64.random(in: 1...3, using: &generator)
                offsets.append(next)
                progress.track(next)
            }
            var unconfirmed = Set(offsets)
            for offset in offsets.shuffled(using: &generator) {
                progress.confirm(offset)
                unconfirmed.remove(offset)
                if let committable = progress.committable {
                    #expect(unconfirmed.allSatisfy { $0 >= committable })
                    if let lowest = unconfirmed.min() { #expect(committable == lowest) }
                }
            }
            #expect(progress.committable == next + 1)
            #expect(progress.tracked == 0)
        }
    }
}
