/// A first-in, first-out queue that moves its elements in and out.
///
/// swift-collections' `Deque.append` borrows its argument and copies it into
/// storage, which retains every reference the element holds; for the
/// pipeline's work items those are buffers a routing thread has just written
/// on the other core, so each retain moves a cache line (about 2.8 % of the
/// worker's samples in steady state went to copying and destroying work items).
/// `append` here consumes its argument and `removeFirst` hands the element
/// back without a copy.
///
/// Positions (`withElement(at:)`) count from the front: 0 is the next
/// element `removeFirst` returns. Storage is an array with a moving head;
/// the consumed prefix is dropped when the queue empties, or when it is at
/// least half of the storage (each element is moved at most once per
/// compaction, so appends and removals stay O(1) amortized).
struct MovingQueue<Element> {
    private var slots: [Element?] = []
    private var head = 0

    init() {}

    var count: Int { slots.count - head }
    var isEmpty: Bool { head == slots.count }

    /// Adds `element` at the back, taking it over.
    mutating func append(_ element: consuming Element) {
        slots.append(Optional(element))
    }

    /// Removes and returns the front element. The queue must not be empty.
    mutating func removeFirst() -> Element {
        precondition(head < slots.count, "removeFirst on an empty MovingQueue")
        guard let element = slots[head].take() else { preconditionFailure("MovingQueue slot \(head) is empty") }
        head += 1
        if head == slots.count {
            slots.removeAll(keepingCapacity: true)
            head = 0
        } else if head >= Self.compactionMinimum && head * 2 >= slots.count {
            slots.removeFirst(head)
            head = 0
        }
        return element
    }

    /// `body` over the element at `position` (0 is the front), in place.
    mutating func withElement<R>(at position: Int, _ body: (inout Element) -> R) -> R {
        precondition(position >= 0 && position < count, "position \(position) outside a MovingQueue of \(count)")
        return body(&slots[head + position]!)
    }

    /// Removes every element.
    mutating func removeAll() {
        slots.removeAll()
        head = 0
    }

    /// Slots in storage, consumed ones included (tests check the bound).
    var storageCount: Int { slots.count }

    /// Consumed prefixes shorter than this stay until the queue empties.
    static var compactionMinimum: Int { 256 }
}
