import DequeModule
import Dispatch
import Foundation
import TributaryCore
import TributaryKafka

/// A routed record: where it is, and what to do with it.
struct RoutedRecord: Sendable {
    var original: OriginalRecord
    var decision: Result<DocumentRouter.Decision, DecodeError>

    /// Moves the decision out, leaving a placeholder that holds nothing:
    /// a copy would retain the item's buffer, which a routing thread has just
    /// written on another core, and the record's end would release it again.
    mutating func takeDecision() -> Result<DocumentRouter.Decision, DecodeError> {
        var taken: Result<DocumentRouter.Decision, DecodeError> = .success(.skip(.tombstone))
        swap(&taken, &decision)
        return taken
    }
}

/// Routes polled records, read in place, on Dispatch's worker threads while
/// the driver thread goes on polling, dispatching and confirming.
///
/// Contract:
/// - batches are handed back by `takeRouted` in submission order, each only
///   once all of its records are routed, so per-partition order is kept;
/// - routed records refer to their batch (`OriginalRecord.polled`): it lives
///   as long as any of them does;
/// - `onRouted` runs (on a worker thread) after each batch completes; the
///   pipeline uses it to wake its poll;
/// - `pendingRecords` counts records submitted and not yet taken, so the
///   pipeline's bound on buffered records covers them.
///
/// `submit`, `takeRouted`, `waitForAll` and `pendingRecords` are called from
/// the driver thread only.
///
/// Each chunk routes with a route no other chunk is using at the time
/// (`makeRoute` makes one when every route is busy; they are kept for the
/// next chunks, so there are never more than chunks ever ran at once). The
/// pipeline's routes each hold routers of their own, so routing threads
/// never share a router's caches: two threads sharing one spent about a
/// third more CPU per record on its locks and reference counts
/// (`tributary-dev route-bench --threads 2 [--share-router]`).
final class RoutingStage: @unchecked Sendable {
    /// Routes record `index` of the records; pure, called on one thread at a time.
    typealias Route = @Sendable (any PolledRecords, Int) -> Result<DocumentRouter.Decision, DecodeError>
    /// Makes a route with state of its own; called on any thread.
    typealias MakeRoute = @Sendable () -> Route
    /// Runs a chunk of routing work: Dispatch's global queue by default.
    typealias Schedule = @Sendable (@escaping @Sendable () -> Void) -> Void
    /// A routed batch as handed back: its stamp and its records in poll
    /// order, in a deque so that the driver can move them out one by one
    /// (`popFirst`) without copying them.
    typealias RoutedBatch = (stamp: UInt64, records: Deque<RoutedRecord>)

    /// One submitted batch. Its chunks write disjoint ranges of `records`.
    private final class Pending: @unchecked Sendable {
        let stamp: UInt64
        let records: UnsafeMutableBufferPointer<RoutedRecord>
        let source: any PolledRecords
        /// Chunks still running; guarded by the stage's lock.
        var remainingChunks: Int
        /// Whether `take()` moved the records out.
        private var taken = false

        init(source: any PolledRecords, stamp: UInt64, chunks: Int) {
            self.stamp = stamp
            self.records = .allocate(capacity: source.count)
            self.source = source
            self.remainingChunks = chunks
        }

        /// Hands the routed records over (moved, not copied). Called once,
        /// after every chunk finished (every element is initialized).
        func take() -> Deque<RoutedRecord> {
            let count = records.count
            taken = true
            return Deque(unsafeUninitializedCapacity: count) { buffer, initialized in
                _ = buffer.moveInitialize(fromContentsOf: records)
                initialized = count
            }
        }

        /// Only ever released finished (the stage's chunks hold it until then).
        deinit {
            if !taken { records.deinitialize() }
            records.deallocate()
        }
    }

    private let makeRoute: MakeRoute
    /// Routes no chunk is using; guarded by `lock`. Boxed: a closure kept in
    /// an array and taken out again gains a re-abstraction thunk each time
    /// round, so calls through a reused route grew slower chunk by chunk.
    private var idleRoutes: [RouteBox] = []
    private let onRouted: @Sendable () -> Void
    private let parallelism: Int
    private let schedule: Schedule
    private let lock = NSCondition()
    /// Submitted and not yet taken, oldest first. Driver thread only.
    private var pending: [Pending] = []
    /// Records in `pending`. Driver thread only.
    private(set) var pendingRecords = 0

    /// - Parameter schedule: where chunks run; tests pass their own to run
    ///   them in a chosen order.
    init(
        parallelism: Int, makeRoute: @escaping MakeRoute, onRouted: @escaping @Sendable () -> Void,
        schedule: @escaping Schedule = { DispatchQueue.global(qos: .userInitiated).async(execute: $0) }
    ) {
        self.schedule = schedule
        self.parallelism = max(1, parallelism)
        self.makeRoute = makeRoute
        self.onRouted = onRouted
    }

    /// A stage whose chunks all use `route` (tests).
    convenience init(
        parallelism: Int, route: @escaping Route, onRouted: @escaping @Sendable () -> Void,
        schedule: @escaping Schedule = { DispatchQueue.global(qos: .userInitiated).async(execute: $0) }
    ) {
        self.init(parallelism: parallelism, makeRoute: { route }, onRouted: onRouted, schedule: schedule)
    }

    /// Routes made so far; guarded by `lock`.
    private var made = 0

    /// How many routes the stage has made (tests).
    var routesMade: Int {
        lock.lock()
        defer { lock.unlock() }
        return made
    }

    var isEmpty: Bool { pending.isEmpty }

    /// Starts routing `batch`. `stamp` travels with it to `takeRouted`.
    ///
    /// A small batch with nothing ahead of it is routed here, on the calling
    /// thread: a thread hop would cost more than the routing (this is the
    /// low-latency path of a steady trickle of changes).
    func submit(_ batch: any PolledRecords, stamp: UInt64) {
        guard batch.count > 0 else { return }
        let inline = batch.count < 64 && pending.isEmpty
        // Two chunks per core, so a slow chunk does not leave a core idle at the end.
        let size = inline ? batch.count : (batch.count + parallelism * 2 - 1) / (parallelism * 2)
        let chunks = (batch.count + size - 1) / size
        let item = Pending(source: batch, stamp: stamp, chunks: chunks)
        pending.append(item)
        pendingRecords += batch.count
        if inline {
            routeChunk(item, 0..<batch.count)
            finishChunk(item, notify: false)
            return
        }
        for chunk in 0..<chunks {
            let range = (chunk * size)..<min(batch.count, (chunk + 1) * size)
            schedule {
                self.routeChunk(item, range)
                self.finishChunk(item, notify: true)
            }
        }
    }

    /// The routed batches at the head of the queue (oldest first), with the
    /// stamps they were submitted with. Never blocks.
    func takeRouted() -> [RoutedBatch] {
        var done: [RoutedBatch] = []
        while let head = pending.first, isFinished(head) {
            pending.removeFirst()
            pendingRecords -= head.records.count
            done.append((head.stamp, head.take()))
        }
        return done
    }

    /// Waits until every submitted batch is routed, then takes them all.
    func waitForAll() -> [RoutedBatch] {
        lock.lock()
        for item in pending {
            while item.remainingChunks > 0 { lock.wait() }
        }
        lock.unlock()
        return takeRouted()
    }

    private func isFinished(_ item: Pending) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        return item.remainingChunks == 0
    }

    private func routeChunk(_ item: Pending, _ range: Range<Int>) {
        let box = takeRoute()
        defer { putBack(box) }
        let route = box.route
        let source = item.source
        for index in range {
            (item.records.baseAddress! + index).initialize(
                to: RoutedRecord(original: .polled(source, index: index), decision: route(source, index)))
        }
    }

    /// An idle route, or a new one when every route is busy.
    private func takeRoute() -> RouteBox {
        lock.lock()
        if let box = idleRoutes.popLast() {
            lock.unlock()
            return box
        }
        made += 1
        lock.unlock()
        return RouteBox(route: makeRoute())
    }

    private func putBack(_ box: RouteBox) {
        lock.lock()
        idleRoutes.append(box)
        lock.unlock()
    }

    private func finishChunk(_ item: Pending, notify: Bool) {
        lock.lock()
        item.remainingChunks -= 1
        let finished = item.remainingChunks == 0
        if finished { lock.broadcast() }
        lock.unlock()
        if finished && notify { onRouted() }
    }
}

/// A route as `RoutingStage` keeps it between chunks.
private final class RouteBox: Sendable {
    let route: RoutingStage.Route
    init(route: @escaping RoutingStage.Route) { self.route = route }
}
