/// Tracks which records of one partition are confirmed, and so how far the
/// partition's offset may be committed.
///
/// Records are tracked in the order they were consumed (increasing offsets,
/// gaps allowed: compaction and transaction markers leave holes). A record is
/// confirmed when it was indexed, found stale, skipped, or acknowledged by the
/// broker on the dead-letter topic. The committable offset is the offset of
/// the first unconfirmed record, or one past the last tracked record when all
/// are confirmed — so nothing at or after a record still in flight is ever
/// committed (invariant 1, "no loss").
///
/// A value type with no I/O; amortized O(1) per track, O(log n) per confirm.
public struct PartitionProgress: Sendable {
    private var offsets: [Int64] = []
    private var confirmed: [Bool] = []
    private var head = 0
    private var nextAfterTracked: Int64?
    /// The first offset tracked: the position the group already had, so
    /// committing it would change nothing.
    private var floor: Int64?

    /// The offset last committed (or `nil` when none was committed by this process).
    public private(set) var committed: Int64?

    public init() {}

    /// Records tracked and not yet released by the committable prefix.
    public var tracked: Int { offsets.count - head }

    /// Starts tracking `offset`. Offsets must increase; a repeated or lower
    /// offset (a re-delivery after a seek) is ignored and returns `false`.
    @discardableResult
    public mutating func track(_ offset: Int64) -> Bool {
        if let last = nextAfterTracked, offset < last { return false }
        if floor == nil { floor = offset }
        offsets.append(offset)
        confirmed.append(false)
        nextAfterTracked = offset + 1
        return true
    }

    /// Marks `offset` confirmed. Returns `false` for an offset that is not tracked.
    @discardableResult
    public mutating func confirm(_ offset: Int64) -> Bool {
        guard let index = position(of: offset) else { return false }
        confirmed[index] = true
        advance()
        return true
    }

    /// The offset to commit now (the next offset to consume), or `nil` when
    /// nothing new can be committed (including the starting position itself).
    public var committable: Int64? {
        let candidate: Int64?
        if head < offsets.count {
            candidate = offsets[head]
        } else {
            candidate = nextAfterTracked
        }
        guard let candidate else { return nil }
        if let committed, candidate <= committed { return nil }
        if committed == nil, let floor, candidate <= floor { return nil }
        return candidate
    }

    /// Records that `offset` was committed.
    public mutating func markCommitted(_ offset: Int64) {
        if committed.map({ offset > $0 }) ?? true { committed = offset }
    }

    /// The lowest tracked unconfirmed offset, if any.
    public var oldestUnconfirmed: Int64? { head < offsets.count ? offsets[head] : nil }

    private func position(of offset: Int64) -> Int? {
        var low = head
        var high = offsets.count - 1
        while low <= high {
            let mid = (low + high) / 2
            if offsets[mid] == offset { return mid }
            if offsets[mid] < offset { low = mid + 1 } else { high = mid - 1 }
        }
        return nil
    }

    private mutating func advance() {
        while head < offsets.count && confirmed[head] { head += 1 }
        if head > 1024 && head * 2 > offsets.count {
            offsets.removeFirst(head)
            confirmed.removeFirst(head)
            head = 0
        }
    }
}
