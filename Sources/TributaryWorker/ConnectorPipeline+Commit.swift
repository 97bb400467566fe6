import Logging
import TributaryCore
import TributaryKafka

extension ConnectorPipeline {
    /// Commits every partition's confirmed prefix when the commit interval
    /// has passed (or at once with `force`, synchronously).
    func commitIfDue(force: Bool, only: Set<TopicPartition>? = nil) {
        for result in consumer.takeCommitResults() {
            if let error = result.error {
                stats.commitFailures += 1
                logger.warning("offset commit failed; the next commit covers it", metadata: [LogKey.error: "\(error)"])
            } else {
                for (tp, offset) in result.offsets {
                    markCommitted(tp, offset)
                }
            }
        }
        let now = monotonicMs()
        guard force || now >= lastCommitMs + UInt64(config.commitIntervalMs) else { return }
        lastCommitMs = now
        var offsets: [TopicPartition: Int64] = [:]
        for (tp, state) in partitions where only?.contains(tp) ?? true {
            if let offset = state.progress.committable { offsets[tp] = offset }
        }
        guard !offsets.isEmpty else { return }
        do {
            try consumer.commit(offsets, synchronous: force)
            stats.commits += 1
            if force {
                for (tp, offset) in offsets { markCommitted(tp, offset) }
            }
        } catch {
            stats.commitFailures += 1
            logger.warning("offset commit failed; the next commit covers it", metadata: [LogKey.error: "\(error)"])
        }
    }

    private func markCommitted(_ tp: TopicPartition, _ offset: Int64) {
        guard let slot = partitions.index(forKey: tp) else { return }
        if partitions.values[slot].progress.committed.map({ offset > $0 }) ?? true { lastCommitAdvanceMs = monotonicMs() }
        partitions.values[slot].progress.markCommitted(offset)
    }

    /// Applies the rebalance events recorded during the last poll.
    ///
    /// On revocation the partitions' in-flight work is drained (bounded by
    /// `shutdown.timeout.ms`), their confirmed prefix committed, and only then
    /// are they given up; results that arrive later for them are ignored.
    func handleRebalances() {
        for event in consumer.takeRebalanceEvents() {
            switch event {
            case .assign(let list):
                for tp in list {
                    partitions[tp] = PartitionState(generation: nextGeneration)
                    nextGeneration += 1
                }
                do {
                    try consumer.completeAssign(list)
                } catch {
                    fatal = PipelineError(message: "cannot assign partitions: \(error)")
                }
                if pausedForBackpressure { setPaused(true, list) }
                logger.info("partitions assigned", metadata: [LogKey.partitions: "\(describe(list))"])
            case .revoke(let list):
                // Records polled before the revoke are tracked first, so the
                // drain below covers them and nothing consumed is left routing.
                acceptRouted(routing.waitForAll())
                let revoked = Set(list)
                if consumer.assignmentLost {
                    // The group already gave these partitions to another member:
                    // committing would be refused, and their work is the new owner's.
                    logger.warning("partitions lost (session timed out)", metadata: [LogKey.partitions: "\(describe(list))"])
                } else {
                    drain(until: monotonicMs() + UInt64(config.shutdownTimeoutMs), partitions: revoked)
                    commitIfDue(force: true, only: revoked)
                }
                for tp in list {
                    if let state = partitions.removeValue(forKey: tp) {
                        outstandingRecords -= state.progress.tracked
                    }
                }
                do {
                    try consumer.completeRevoke(list)
                } catch {
                    logger.warning("cannot complete revocation", metadata: [LogKey.error: "\(error)"])
                }
                logger.info("partitions revoked", metadata: [LogKey.partitions: "\(describe(list))"])
            case .error(let error):
                logger.warning("rebalance error", metadata: [LogKey.error: "\(error)"])
            }
        }
    }

    /// Sends every ready record at once and waits for results until the
    /// given partitions (all, when nil) have nothing unconfirmed, or the deadline.
    /// Records still routing are not waited for (they are not tracked yet):
    /// callers that need them take them first (`acceptRouted`).
    /// `barrier` is a record that is known to be unconfirmed and not waited for.
    func drain(until deadline: UInt64, partitions scope: Set<TopicPartition>?, barrier: WorkItem? = nil) {
        func pending() -> Bool {
            partitions.contains { (tp, state) in
                guard scope?.contains(tp) ?? true, let oldest = state.progress.oldestUnconfirmed else { return false }
                return !(barrier?.partition == tp && barrier?.offset == oldest && state.progress.tracked == 1)
            }
        }
        while pending() && monotonicMs() < deadline && fatal == nil {
            collectResults()
            collectDeadLetterReports()
            promoteDueRetries(now: monotonicMs())
            dispatch(force: true)
            if pending() { sleepBriefly() }
        }
    }

    private func sleepBriefly() {
        // Never poll the consumer here: a message it returned would have to be tracked.
        writers.waitForResults(timeoutMs: 5)
    }

    /// The least time a graceful stop gives the group leave (`close`).
    static let minimumLeaveMs = 10_000

    /// Graceful stop: drain in-flight work within `shutdown.timeout.ms`,
    /// commit the confirmed prefix, flush the DLQ, leave the group (within
    /// what is left of `shutdown.timeout.ms`, and at least `minimumLeaveMs`).
    func shutdown() {
        let deadline = monotonicMs() + UInt64(config.shutdownTimeoutMs)
        if fatal == nil {
            acceptRouted(routing.waitForAll())
            drain(until: deadline, partitions: nil)
        } else {
            // Waited for even so, and dropped at once: the records still in
            // their polls' buffers are released before the consumer closes.
            _ = routing.waitForAll()
        }
        if let deadLetters {
            let remaining = deadline > monotonicMs() ? Int32(min(deadline - monotonicMs(), 10_000)) : 1000
            handle(deadLetters.flush(timeoutMs: remaining), via: deadLetters)
        }
        commitIfDue(force: true)
        logSummary()
        // What is left unconfirmed is consumed again by the next owner; its
        // records may still be in their polls' buffers: release them first.
        ready.removeAll()
        waiting.removeAll()
        inFlight.removeAll()
        dlqPending.removeAll()
        dlqRetry.removeAll()
        // Leaving the group gets what is left of the stop's time, and at
        // least `minimumLeaveMs`: a stop must end even when the close does not.
        let leaveMs = max(deadline > monotonicMs() ? Int(deadline - monotonicMs()) : 0, Self.minimumLeaveMs)
        if !consumer.close(timeoutMs: leaveMs) {
            logger.error(
                "leaving the consumer group did not finish in time; stopping anyway (committed offsets are safe: the group reassigns this worker's partitions when its session times out)",
                metadata: [LogKey.timeoutMs: "\(leaveMs)"])
        }
        logger.info("connector stopped")
    }

    func describe(_ list: [TopicPartition]) -> String {
        list.map { "\($0.topic)[\($0.partition)]" }.sorted().joined(separator: ",")
    }
}
