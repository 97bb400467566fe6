import Logging
import TributaryCore
import TributaryKafka

extension ConnectorPipeline {
    /// Applies the results of finished bulk requests: confirms, schedules
    /// retries, dead-letters, and adapts concurrency to throttling.
    func collectResults() {
        for result in writers.takeResults() {
            guard let items = inFlight.removeValue(forKey: result.batchID) else { continue }
            var throttled = false
            // By index, not `zip`: zip hands out copies of the work items
            // (a retain per reference they hold), and the common outcomes
            // read three fields.
            for index in 0..<min(items.count, result.outcomes.count) {
                let (partition, generation, offset) = (items[index].partition, items[index].generation, items[index].offset)
                guard isCurrent(partition, generation: generation) else { continue }
                switch result.outcomes[index] {
                case .applied:
                    if items[index].item?.action == .delete { stats.deleted += 1 } else { stats.indexed += 1 }
                    confirm(partition, generation: generation, offset: offset)
                case .stale:
                    stats.stale += 1
                    confirm(partition, generation: generation, offset: offset)
                case .throttled:
                    throttled = true
                    var next = items[index]
                    next.throttledAttempts += 1
                    retry(next, attempt: next.throttledAttempts)
                case .failed(let status, let reason):
                    var next = items[index]
                    next.attempts += 1
                    next.isolate = next.isolate || result.requestFailed
                    if next.attempts > config.retry.maxRetries {
                        poison(next, reason: "\(reason) (after \(config.retry.maxRetries) retries)", status: status)
                    } else {
                        retry(next, attempt: next.attempts)
                    }
                case .rejected(let status, let reason):
                    let work = items[index]
                    if result.requestFailed && items.count > 1 {
                        // The request as a whole was refused: find the bad record alone.
                        var next = work
                        next.isolate = true
                        retry(next, attempt: 0)
                    } else {
                        poison(work, reason: reason, status: status)
                    }
                }
            }
            if throttled {
                // Multiplicative decrease: fewer concurrent requests and a pause.
                inFlightLimit = max(1, inFlightLimit / 2)
                let pause = config.retry.backoff.delayMs(attempt: items.map(\.throttledAttempts).max() ?? 0)
                throttledUntilMs = max(throttledUntilMs, monotonicMs() + UInt64(pause))
            } else if inFlightLimit < config.batching.maxInFlight {
                inFlightLimit += 1
            }
        }
    }

    private func retry(_ work: WorkItem, attempt: Int) {
        var next = work
        next.original.detach()
        let delay = config.retry.backoff.delayMs(attempt: max(0, attempt - 1))
        next.notBefore = monotonicMs() + UInt64(delay)
        stats.retried += 1
        waiting.append(next)
    }

    private func poison(_ work: WorkItem, reason: String, status: Int) {
        let type = reason.split(separator: ":").first.map(String.init)
        poison(
            work,
            PoisonReason(
                className: "opensearch.\(type ?? "error")", message: reason, openSearchStatus: status, openSearchErrorType: type))
    }

    /// Handles a record that can never be written: the DLQ when configured,
    /// else per the poison policy (stop, or skip and count).
    func poison(_ work: WorkItem, _ reason: PoisonReason) {
        let position = "\(work.partition.topic)[\(work.partition.partition)]@\(work.offset)"
        if let deadLetters {
            sendToDeadLetters(work, reason: reason, via: deadLetters)
            logger.warning(
                "record sent to the dead-letter queue",
                metadata: [
                    LogKey.topic: "\(work.partition.topic)", LogKey.partition: "\(work.partition.partition)",
                    LogKey.offset: "\(work.offset)", LogKey.errorClass: "\(reason.className)", LogKey.error: "\(reason.message)",
                ])
            return
        }
        switch config.poisonPolicy {
        case .stop:
            fatal = PipelineError(
                message: "\(position) can never be indexed (\(reason.className): \(reason.message)); "
                    + "set errors.deadletterqueue.topic.name to dead-letter such records, or errors.tolerance=all to skip them")
        case .skipWithWarning, .skipSilently:
            stats.dropped += 1
            if config.poisonPolicy == .skipWithWarning {
                logger.warning("record skipped", metadata: [LogKey.offset: "\(position)", LogKey.error: "\(reason.message)"])
            }
            confirm(work)
        }
    }

    private func sendToDeadLetters(_ work: WorkItem, reason: PoisonReason, via deadLetters: DeadLetterQueue) {
        let token = nextToken
        nextToken += 1
        var letter = DeadLetter(work: work, reason: reason)
        letter.work.item = nil
        // It waits for the broker's acknowledgement (or a retry): copied out.
        letter.work.original.detach()
        do {
            try deadLetters.send(letter.work.original.message, reason: reason, token: token)
            dlqPending[token] = letter
        } catch {
            // Queue full or a transient producer error: try again shortly.
            logger.warning("dead-letter produce failed; will retry", metadata: [LogKey.error: "\(error)"])
            letter.work.notBefore = monotonicMs() + 200
            dlqRetry.append(letter)
        }
    }

    /// Confirms records the broker acknowledged on the DLQ; re-sends failures.
    func collectDeadLetterReports() {
        guard let deadLetters else { return }
        handle(deadLetters.poll(), via: deadLetters)
        let now = monotonicMs()
        guard dlqRetry.contains(where: { $0.work.notBefore <= now }) else { return }
        let due = dlqRetry.filter { $0.work.notBefore <= now }
        dlqRetry.removeAll { $0.work.notBefore <= now }
        for letter in due where isCurrent(letter.work) {
            sendToDeadLetters(letter.work, reason: letter.reason, via: deadLetters)
        }
    }

    /// Applies delivery reports of the dead-letter producer.
    func handle(_ reports: [DeliveryReport], via deadLetters: DeadLetterQueue) {
        for report in reports {
            guard var letter = dlqPending.removeValue(forKey: report.token) else { continue }
            if let error = report.error {
                logger.error(
                    "dead-letter delivery failed; progress waits until it succeeds",
                    metadata: [LogKey.dlqTopic: "\(deadLetters.topic)", LogKey.error: "\(error)"])
                letter.work.notBefore = monotonicMs() + UInt64(config.retry.backoff.delayMs(attempt: 3))
                dlqRetry.append(letter)
            } else {
                stats.deadLettered += 1
                confirm(letter.work)
            }
        }
    }
}
