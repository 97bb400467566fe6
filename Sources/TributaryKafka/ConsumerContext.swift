internal import CRdKafka
import Logging
import Synchronization

/// What a consumer's C callbacks record for `KafkaConsumer` to hand out:
/// rebalance events and asynchronous commit results, in arrival order.
final class ConsumerContext: ClientContext, @unchecked Sendable {
    private let recorded = Mutex(Recorded())

    private struct Recorded {
        var rebalanceEvents: [RebalanceEvent] = []
        var commitResults: [CommitResult] = []
    }

    func record(_ event: RebalanceEvent) {
        recorded.withLock { $0.rebalanceEvents.append(event) }
    }

    func record(_ result: CommitResult) {
        recorded.withLock { $0.commitResults.append(result) }
    }

    func takeRebalanceEvents() -> [RebalanceEvent] {
        recorded.withLock { state in
            defer { state.rebalanceEvents.removeAll() }
            return state.rebalanceEvents
        }
    }

    func takeCommitResults() -> [CommitResult] {
        recorded.withLock { state in
            defer { state.commitResults.removeAll() }
            return state.commitResults
        }
    }
}

/// The consumer-only C callbacks.
enum ConsumerCallbacks {
    typealias ListPointer = UnsafeMutablePointer<rd_kafka_topic_partition_list_t>

    /// `rebalance_cb`: records the event and makes the current poll return so
    /// the worker can answer it (`completeAssign`/`completeRevoke`, which
    /// librdkafka allows after this callback returned).
    ///
    /// Exception: while the owner is closing, nobody will answer later and
    /// `rd_kafka_consumer_close` blocks until someone does, so it answers here.
    static let rebalance: @convention(c) (OpaquePointer?, rd_kafka_resp_err_t, ListPointer?, UnsafeMutableRawPointer?) -> Void = {
        handle, err, list, opaque in
        guard let handle, let opaque else { return }
        let context = Unmanaged<ConsumerContext>.fromOpaque(opaque).takeUnretainedValue()
        let partitions = list.map { RDKafkaTopicPartitionList.entries(in: $0).map(\.topicPartition) } ?? []

        let event: RebalanceEvent
        switch err {
        case RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS: event = .assign(partitions)
        case RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS: event = .revoke(partitions)
        default: event = .error(KafkaError(err))
        }
        context.logger.info(
            "rebalance callback",
            metadata: [
                KafkaLogMetadata.client: .string(String(cString: rd_kafka_name(handle))),
                KafkaLogMetadata.errorName: .string(String(cString: rd_kafka_err2name(err))),
                KafkaLogMetadata.partitions: .string(partitions.sorted().map(\.description).joined(separator: ",")),
            ])

        if context.isClosing {
            answerWhileClosing(handle: handle, err: err, list: list, logger: context.logger)
            return
        }
        context.record(event)
        rd_kafka_yield(handle)
    }

    private static func answerWhileClosing(handle: OpaquePointer, err: rd_kafka_resp_err_t, list: ListPointer?, logger: Logger) {
        let cooperative = RDKafkaProtocol.current(handle) == .cooperative
        var failure: KafkaError?
        switch (err, cooperative) {
        case (RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS, true):
            if let error = rd_kafka_incremental_assign(handle, list) { failure = .consuming(error) }
        case (RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS, false):
            let code = rd_kafka_assign(handle, list)
            if code != RD_KAFKA_RESP_ERR_NO_ERROR { failure = KafkaError(code) }
        case (_, true):
            if let error = rd_kafka_incremental_unassign(handle, list) { failure = .consuming(error) }
        case (_, false):
            let code = rd_kafka_assign(handle, nil)
            if code != RD_KAFKA_RESP_ERR_NO_ERROR { failure = KafkaError(code) }
        }
        if let failure {
            logger.warning(
                "rebalance answer during close failed",
                metadata: [KafkaLogMetadata.errorName: .string(failure.name), KafkaLogMetadata.errorMessage: .string(failure.message)])
        }
    }

    /// `offset_commit_cb`: records the outcome of an asynchronous commit.
    /// `_NO_OFFSET` (nothing to commit) is recorded as success.
    static let offsetCommit: @convention(c) (OpaquePointer?, rd_kafka_resp_err_t, ListPointer?, UnsafeMutableRawPointer?) -> Void = {
        _, err, list, opaque in
        guard let opaque else { return }
        let context = Unmanaged<ConsumerContext>.fromOpaque(opaque).takeUnretainedValue()
        let entries = list.map { RDKafkaTopicPartitionList.entries(in: $0) } ?? []
        var offsets: [TopicPartition: Int64] = [:]
        for entry in entries { offsets[entry.topicPartition] = entry.offset }

        var error: KafkaError?
        if err != RD_KAFKA_RESP_ERR_NO_ERROR && err != RD_KAFKA_RESP_ERR__NO_OFFSET {
            error = KafkaError(err)
        }
        if let failed = entries.first(where: { $0.error != RD_KAFKA_RESP_ERR_NO_ERROR }) {
            error = KafkaError(failed.error, message: "\(failed.topicPartition): \(String(cString: rd_kafka_err2str(failed.error)))")
        }
        context.record(CommitResult(offsets: offsets, error: error))
    }
}

/// Reads the group's rebalance protocol.
enum RDKafkaProtocol {
    static func current(_ handle: OpaquePointer) -> RebalanceProtocol {
        guard let name = rd_kafka_rebalance_protocol(handle) else { return .none }
        switch String(cString: name) {
        case "COOPERATIVE": return .cooperative
        case "EAGER": return .eager
        default: return .none
        }
    }
}
