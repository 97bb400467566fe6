import Logging
import TributaryCore
import TributaryKafka
import TributaryOpenSearch

extension ConnectorPipeline {
    /// Under `index.mappings=derived`, creates `index` with mappings derived
    /// from the record's schema before the first write to it in this process.
    ///
    /// Runs on the driver thread with the admin connection and blocks the
    /// pipeline only for that first write: earlier records keep being
    /// confirmed and committed meanwhile, but nothing new is consumed. An
    /// index that exists is never touched (`400 resource_already_exists_exception`
    /// counts as done). Outages, 429 and 5xx are retried with backoff without
    /// limit; any other refusal is logged as an error and the index is left
    /// to dynamic mapping. Each index name is settled once (`preparedIndexes`);
    /// a record without a row schema settles it without a request (a
    /// tombstone leaves it to the next record).
    ///
    /// Returns `false` when the pipeline stops or fails before the index is
    /// settled: the record must then not be written (it stays unconfirmed and
    /// is consumed again by the next run).
    func prepareIndex(_ index: String, for record: OriginalRecord) -> Bool {
        guard derivesMappings else { return true }
        let topic = record.topic
        let options = (config.routingOverrides[topic] ?? config.routing).indexMappings
        guard options.mode == .derived, !preparedIndexes.contains(index) else { return true }
        let message = record.message
        guard message.value != nil else { return true }
        guard let mappings = router(for: topic).derivedMappings(value: message.value, decimal: options.decimal) else {
            preparedIndexes.insert(index)
            logger.info("first record has no schema: index left to dynamic mapping", metadata: [LogKey.index: "\(index)"])
            return true
        }
        let body = IndexMappingBuilder.createIndexBody(mappings: mappings)
        var attempt = 0
        while fatal == nil && !isStopping {
            switch createIndex(index, body: body) {
            case .created:
                logger.notice("index created with derived mappings", metadata: [LogKey.index: "\(index)"])
            case .exists:
                logger.info("index exists: its mappings are left as they are", metadata: [LogKey.index: "\(index)"])
            case .giveUp(let reason):
                logger.error(
                    "cannot create the index with derived mappings; writing with dynamic mapping",
                    metadata: [LogKey.index: "\(index)", LogKey.error: "\(reason)"])
            case .retry(let reason):
                attempt += 1
                let delay = config.retry.backoff.delayMs(attempt: attempt)
                logger.warning(
                    "index creation failed; retrying",
                    metadata: [LogKey.index: "\(index)", LogKey.error: "\(reason)", LogKey.delayMs: "\(delay)", LogKey.attempt: "\(attempt)"])
                keepConfirming(until: monotonicMs() + UInt64(delay))
                continue
            }
            preparedIndexes.insert(index)
            return true
        }
        return false
    }

    private func createIndex(_ index: String, body: [UInt8]) -> IndexCreation {
        do {
            let response = try adminConnection.perform(method: "PUT", path: "/\(index)", body: body, contentType: "application/json")
            return IndexCreation.classify(status: response.status, body: response.body)
        } catch {
            return .retry(reason: "transport: \(error.message)")
        }
    }

    /// Waits until `deadline` (or a stop) while results of earlier records
    /// are still confirmed and committed; nothing is consumed.
    private func keepConfirming(until deadline: UInt64) {
        while fatal == nil && !isStopping {
            collectResults()
            collectDeadLetterReports()
            dispatch(force: false)
            commitIfDue(force: false)
            let now = monotonicMs()
            guard now < deadline else { return }
            writers.waitForResults(timeoutMs: Int(min(deadline - now, 100)))
        }
    }
}
