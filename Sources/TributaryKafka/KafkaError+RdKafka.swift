internal import CRdKafka

extension KafkaError {
    /// Builds an error from a librdkafka code. `message` defaults to `rd_kafka_err2str`.
    /// `fatal` is for errors surfaced via `rd_kafka_fatal_error`.
    init(_ err: rd_kafka_resp_err_t, message: String? = nil, fatal: Bool = false) {
        let code = err.rawValue
        self.init(
            code: code,
            name: String(cString: rd_kafka_err2name(err)),
            message: message ?? String(cString: rd_kafka_err2str(err)),
            isRetriable: !fatal && KafkaError.retriableCodes.contains(code),
            isFatal: fatal)
    }

    /// Converts and frees an `rd_kafka_error_t *` (returned by the newer APIs,
    /// e.g. `rd_kafka_incremental_assign`). The pointer is invalid afterwards.
    static func consuming(_ error: OpaquePointer) -> KafkaError {
        defer { rd_kafka_error_destroy(error) }
        return KafkaError(
            code: rd_kafka_error_code(error).rawValue,
            name: String(cString: rd_kafka_error_name(error)),
            message: String(cString: rd_kafka_error_string(error)),
            isRetriable: rd_kafka_error_is_retriable(error) != 0,
            isFatal: rd_kafka_error_is_fatal(error) != 0)
    }

    /// Reads the instance's fatal error (after `RD_KAFKA_RESP_ERR__FATAL`), if any.
    static func fatal(of handle: OpaquePointer) -> KafkaError? {
        var buffer = [CChar](repeating: 0, count: 512)
        let err = rd_kafka_fatal_error(handle, &buffer, buffer.count)
        guard err != RD_KAFKA_RESP_ERR_NO_ERROR else { return nil }
        let message = buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        return KafkaError(err, message: message, fatal: true)
    }

    /// Codes for which retrying the same call later is expected to work.
    private static let retriableCodes: Set<Int32> = [
        RD_KAFKA_RESP_ERR__TRANSPORT.rawValue,
        RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN.rawValue,
        RD_KAFKA_RESP_ERR__TIMED_OUT.rawValue,
        RD_KAFKA_RESP_ERR__TIMED_OUT_QUEUE.rawValue,
        RD_KAFKA_RESP_ERR__MSG_TIMED_OUT.rawValue,
        RD_KAFKA_RESP_ERR__QUEUE_FULL.rawValue,
        RD_KAFKA_RESP_ERR__RESOLVE.rawValue,
        RD_KAFKA_RESP_ERR__WAIT_COORD.rawValue,
        RD_KAFKA_RESP_ERR__IN_PROGRESS.rawValue,
        RD_KAFKA_RESP_ERR__PREV_IN_PROGRESS.rawValue,
        RD_KAFKA_RESP_ERR__RETRY.rawValue,
        RD_KAFKA_RESP_ERR__NODE_UPDATE.rawValue,
        RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE.rawValue,
        RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION.rawValue,
        RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT.rawValue,
        RD_KAFKA_RESP_ERR_NETWORK_EXCEPTION.rawValue,
        RD_KAFKA_RESP_ERR_COORDINATOR_LOAD_IN_PROGRESS.rawValue,
        RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE.rawValue,
        RD_KAFKA_RESP_ERR_NOT_COORDINATOR.rawValue,
        RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS.rawValue,
        RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS_AFTER_APPEND.rawValue,
        RD_KAFKA_RESP_ERR_REBALANCE_IN_PROGRESS.rawValue,
        RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART.rawValue,
        RD_KAFKA_RESP_ERR_KAFKA_STORAGE_ERROR.rawValue,
        RD_KAFKA_RESP_ERR_FETCH_SESSION_ID_NOT_FOUND.rawValue,
        RD_KAFKA_RESP_ERR_INVALID_FETCH_SESSION_EPOCH.rawValue,
        RD_KAFKA_RESP_ERR_OFFSET_NOT_AVAILABLE.rawValue,
        RD_KAFKA_RESP_ERR_PREFERRED_LEADER_NOT_AVAILABLE.rawValue,
        RD_KAFKA_RESP_ERR_THROTTLING_QUOTA_EXCEEDED.rawValue,
    ]
}
