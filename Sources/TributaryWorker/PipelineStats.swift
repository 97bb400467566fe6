/// Counters of one connector's pipeline, logged as the periodic summary line.
///
/// Owned by the driver thread; totals since start.
struct PipelineStats: Sendable {
    var consumed = 0
    var indexed = 0
    var deleted = 0
    var stale = 0
    var skipped = 0
    var retried = 0
    var deadLettered = 0
    var dropped = 0
    var truncated = 0
    var bulkRequests = 0
    var commits = 0
    var commitFailures = 0
}
