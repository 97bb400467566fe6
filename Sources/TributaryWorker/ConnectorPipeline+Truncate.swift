import Logging
import TributaryCore
import TributaryOpenSearch

extension ConnectorPipeline {
    /// Applies a source TRUNCATE (`truncate.mode=delete_all`): a barrier.
    ///
    /// Every record consumed before it is confirmed first (the pipeline is
    /// drained), then every document of `index` is deleted with
    /// `_delete_by_query`, retried with backoff through outages; the record is
    /// confirmed only after that succeeded, and records after it are accepted
    /// (tracked and queued for writing) only then; routing them meanwhile is pure. Ordering is exact within the partition that carries the
    /// truncate event; rows of other partitions that were indexed before the
    /// truncate was read are deleted too (see README, "Truncate").
    func truncate(_ index: String, _ work: WorkItem) {
        logger.notice("source table truncated: deleting every document", metadata: ["opensearch.index": "\(index)"])
        drainCompletely(except: work)
        var attempt = 0
        while fatal == nil && !isStopping {
            let outcome = deleteAllDocuments(index)
            switch outcome {
            case .applied:
                stats.truncated += 1
                confirm(work)
                return
            case .rejected(_, let reason):
                poison(work, PoisonReason(className: "opensearch.delete_by_query", message: reason))
                return
            default:
                attempt += 1
                let delay = config.retry.backoff.delayMs(attempt: attempt)
                logger.warning(
                    "delete_by_query failed; retrying",
                    metadata: [LogKey.error: "\(outcome)", LogKey.delayMs: "\(delay)", LogKey.attempt: "\(attempt)"])
                writers.waitForResults(timeoutMs: delay)
            }
        }
    }

    /// Waits, without a deadline but not past a stop request, until no
    /// consumed record but `barrier` is unconfirmed.
    private func drainCompletely(except barrier: WorkItem) {
        // `outstandingRecords` counts the barrier itself.
        while outstandingRecords > 1 && fatal == nil && !isStopping {
            drain(until: monotonicMs() + 1000, partitions: nil, barrier: barrier)
        }
    }

    private func deleteAllDocuments(_ index: String) -> ItemOutcome {
        let body = Array(#"{"query":{"match_all":{}}}"#.utf8)
        do {
            let response = try adminConnection.perform(
                method: "POST", path: "/\(index)/_delete_by_query?conflicts=proceed&refresh=true", body: body,
                contentType: "application/json")
            if response.status == 200 { return .applied }
            let summary = BulkResponse.errorSummary(response.body)
            if response.status == 404 && summary.type == "index_not_found_exception" { return .applied }
            return OutcomeClassifier.classifyRequest(status: response.status, errorType: summary.type, reason: summary.reason)
        } catch {
            return .throttled(status: 0, reason: "transport: \(error.message)")
        }
    }
}
