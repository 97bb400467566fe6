import Foundation
import Logging
import TributaryCore
import TributaryOpenSearch

/// A bulk request handed to the writer pool.
struct BulkBatch: Sendable {
    var id: UInt64
    /// The NDJSON body: the concatenated `bytes` of the batch's items.
    var body: [UInt8]
    /// The actions of the items in order, to check the response against.
    var itemCount: Int
}

/// What came back for a batch: one outcome per item, in order.
struct BulkBatchResult: Sendable {
    var batchID: UInt64
    var outcomes: [ItemOutcome]
    /// Whether the request failed as a whole (no per-item results).
    var requestFailed: Bool
    var elapsedMs: Int
}

/// A fixed set of writer threads, each owning one keep-alive OpenSearch
/// connection, that send bulk requests and classify the per-item results.
///
/// Thread-safety: `submit`, `takeResults` and `stop` may be called from any
/// thread. The blocking HTTP calls run on the pool's own threads, never on the
/// cooperative thread pool. `onResult` is called on a writer thread after a
/// result is queued (the pipeline uses it to wake its poll).
final class BulkWriterPool: @unchecked Sendable {
    private let condition = NSCondition()
    private var queue: [BulkBatch] = []
    private var results: [BulkBatchResult] = []
    private var busy = 0
    private var stopped = false
    /// Writer threads that have not returned yet.
    private var running = 0
    private var threads: [Thread] = []
    private let onResult: @Sendable () -> Void
    private let logger: Logger

    /// Starts `count` writers; fails when a connection cannot be set up (bad URL).
    init(count: Int, configuration: OpenSearchConfiguration, logger: Logger, onResult: @escaping @Sendable () -> Void) throws(TransportError) {
        self.onResult = onResult
        self.logger = logger
        var connections: [OpenSearchConnection] = []
        for index in 0..<count {
            connections.append(try OpenSearchConnection(configuration: configuration, startIndex: index))
        }
        running = connections.count
        for (index, connection) in connections.enumerated() {
            let thread = Thread { [self] in
                self.work(connection)
                self.condition.lock()
                self.running -= 1
                self.condition.broadcast()
                self.condition.unlock()
            }
            thread.name = "tributary-writer-\(index)"
            threads.append(thread)
            thread.start()
        }
    }

    /// Batches queued or being sent.
    var outstanding: Int {
        condition.lock()
        defer { condition.unlock() }
        return queue.count + busy
    }

    /// Queues a batch for the next free writer.
    func submit(_ batch: BulkBatch) {
        condition.lock()
        queue.append(batch)
        condition.signal()
        condition.unlock()
    }

    /// The results that arrived since the last call.
    func takeResults() -> [BulkBatchResult] {
        condition.lock()
        defer { condition.unlock() }
        let taken = results
        results.removeAll(keepingCapacity: true)
        return taken
    }

    /// Blocks until a result is available or `timeoutMs` passed.
    func waitForResults(timeoutMs: Int) {
        condition.lock()
        defer { condition.unlock() }
        if results.isEmpty && !stopped {
            _ = condition.wait(until: Date(timeIntervalSinceNow: Double(timeoutMs) / 1000))
        }
    }

    /// Stops the writers after their current request; queued batches are
    /// dropped. Waits up to `waitMs` for every writer to return, and tells
    /// whether they all did.
    ///
    /// The process must not exit while a writer is inside libcurl: exit runs
    /// OpenSSL's clean-up under a TLS handshake still in progress, which
    /// crashed a stop while the cluster's certificate was being rejected.
    /// A request ends within `read.timeout.ms`, so the wait is bounded
    /// anyway; `waitMs` keeps a stop short when the cluster hangs.
    @discardableResult
    func stop(waitMs: Int) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        stopped = true
        queue.removeAll()
        condition.broadcast()
        let deadline = Date(timeIntervalSinceNow: Double(waitMs) / 1000)
        while running > 0 {
            guard condition.wait(until: deadline) else { return running == 0 }
        }
        return true
    }

    private func work(_ connection: OpenSearchConnection) {
        while true {
            condition.lock()
            while queue.isEmpty && !stopped { condition.wait() }
            if stopped {
                condition.unlock()
                return
            }
            let batch = queue.removeFirst()
            busy += 1
            condition.unlock()

            let result = send(batch, over: connection)

            condition.lock()
            busy -= 1
            if !stopped { results.append(result) }
            condition.broadcast()
            condition.unlock()
            onResult()
        }
    }

    private func send(_ batch: BulkBatch, over connection: OpenSearchConnection) -> BulkBatchResult {
        let started = ContinuousClock.now
        func finish(_ outcomes: [ItemOutcome], requestFailed: Bool) -> BulkBatchResult {
            let elapsed = ContinuousClock.now - started
            let ms = Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
            return BulkBatchResult(batchID: batch.id, outcomes: outcomes, requestFailed: requestFailed, elapsedMs: ms)
        }
        let response: HTTPResponse
        do {
            response = try connection.perform(method: "POST", path: BulkResponse.requestPath, body: batch.body, contentType: "application/x-ndjson")
        } catch {
            let metadata: Logger.Metadata = [
                LogKey.url: "\(error.url)", LogKey.error: "\(error.message)", LogKey.batchItems: "\(batch.itemCount)",
            ]
            if error.isRetryable {
                logger.warning("bulk request failed", metadata: metadata)
            } else {
                // TLS trust, client certificates, credentials: no retry helps until an operator fixes
                // the configuration. The records are good, so they wait rather than go to the DLQ.
                logger.error("bulk request failed: fix the OpenSearch connection settings", metadata: metadata)
            }
            let outcome = ItemOutcome.throttled(status: 0, reason: "transport: \(error.message)")
            return finish(Array(repeating: outcome, count: batch.itemCount), requestFailed: true)
        }
        guard response.status == 200 else {
            let summary = BulkResponse.errorSummary(response.body)
            let outcome = OutcomeClassifier.classifyRequest(status: response.status, errorType: summary.type, reason: summary.reason)
            logger.warning(
                "bulk request rejected",
                metadata: [LogKey.url: "\(response.url)", LogKey.status: "\(response.status)", LogKey.error: "\(summary.reason)"])
            return finish(Array(repeating: outcome, count: batch.itemCount), requestFailed: true)
        }
        do {
            let parsed = try BulkResponse.parse(response.body, expectedItems: batch.itemCount)
            return finish(parsed.items.map(OutcomeClassifier.classify), requestFailed: false)
        } catch {
            // A proxy's error page, a cut-off body: nothing is known about the items (they may well
            // have been applied). Retrying is safe thanks to external versions, and the records are
            // not at fault, so this is a throttle, not a bounded failure.
            logger.warning("bulk response unusable", metadata: [LogKey.url: "\(response.url)", LogKey.error: "\(error.message)"])
            let outcome = ItemOutcome.throttled(status: response.status, reason: error.message)
            return finish(Array(repeating: outcome, count: batch.itemCount), requestFailed: true)
        }
    }
}
