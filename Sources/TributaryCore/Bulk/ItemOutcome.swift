/// What happened to one bulk item, and so what the sink does next with it.
public enum ItemOutcome: Sendable, Hashable {
    /// Written (or, for a delete, already absent). Confirmed.
    case applied
    /// Rejected because the index holds a newer or equal external version: the
    /// index is already ahead of this record. Confirmed, counted apart.
    case stale
    /// The cluster is overloaded or unavailable (429, 502/503/504, a read-only
    /// block): retried with backoff for as long as it takes, never dead-lettered.
    case throttled(status: Int, reason: String)
    /// A failure that may pass (500, a missing index): retried up to
    /// `max.retries`, then dead-lettered.
    case failed(status: Int, reason: String)
    /// The document can never be indexed as it is (mapping or parsing error,
    /// other 4xx): dead-lettered at once.
    case rejected(status: Int, reason: String)

    /// Whether the record is done with (no retry, no dead letter).
    public var isConfirmed: Bool {
        switch self {
        case .applied, .stale: true
        default: false
        }
    }
}

/// Classifies bulk item results and whole-request statuses.
public enum OutcomeClassifier {
    /// The outcome of one item of a bulk response.
    public static func classify(_ item: BulkResponse.Item) -> ItemOutcome {
        let status = item.status
        let reason = item.errorDescription
        switch status {
        case 200..<300:
            return .applied
        case 404 where item.action == .delete && item.errorType == nil:
            return .applied  // deleting a document that is not there: the goal state holds
        case 404 where item.action == .update && item.errorType == "document_missing_exception":
            // A partial (TOAST) update of a document that is not there: it was
            // deleted after this event (a replay), so the update is outdated.
            return .stale
        case 409:
            return .stale
        default:
            return classifyFailure(status: status, errorType: item.errorType, reason: reason)
        }
    }

    /// The outcome for every item of a request that failed as a whole with
    /// HTTP `status` (no per-item results).
    public static func classifyRequest(status: Int, errorType: String?, reason: String) -> ItemOutcome {
        classifyFailure(status: status, errorType: errorType, reason: reason)
    }

    private static func classifyFailure(status: Int, errorType: String?, reason: String) -> ItemOutcome {
        switch status {
        case 429, 502, 503, 504:
            return .throttled(status: status, reason: reason)
        case 401, 403:
            // Credentials or a cluster block (a disk flood-stage read-only
            // block is 403 cluster_block_exception): an operator fixes these;
            // the records themselves are good.
            return .throttled(status: status, reason: reason)
        case 404 where errorType == "index_not_found_exception":
            return .failed(status: status, reason: reason)
        case 408:
            return .throttled(status: status, reason: reason)
        case 413:
            return .rejected(status: status, reason: reason)
        case 400..<500:
            return .rejected(status: status, reason: reason)
        default:
            return .failed(status: status, reason: reason)
        }
    }
}
