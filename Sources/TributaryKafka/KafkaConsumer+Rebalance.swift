internal import CRdKafka

extension KafkaConsumer {
    /// Rebalance events recorded since the last call, in order. Answer each
    /// `.assign` with `completeAssign` and each `.revoke` with `completeRevoke`.
    public func takeRebalanceEvents() -> [RebalanceEvent] {
        context.takeRebalanceEvents()
    }

    /// The group's current rebalance protocol (`.none` before the first join).
    public var rebalanceProtocol: RebalanceProtocol {
        RDKafkaProtocol.current(handle.pointer)
    }

    /// True when the current assignment was lost (e.g. session timeout) rather
    /// than revoked: offsets for it can no longer be committed.
    public var assignmentLost: Bool {
        rd_kafka_assignment_lost(handle.pointer) != 0
    }

    /// Answers an `.assign`: `rd_kafka_assign` (eager) or
    /// `rd_kafka_incremental_assign` (cooperative). Fetching starts at the
    /// committed offsets (or `auto.offset.reset`).
    public func completeAssign(_ partitions: [TopicPartition]) throws(KafkaError) {
        fetchWatch.assignmentChanged()
        let list = RDKafkaTopicPartitionList(partitions)
        if rebalanceProtocol == .cooperative {
            if let error = rd_kafka_incremental_assign(handle.pointer, list.pointer) { throw .consuming(error) }
        } else {
            try check(rd_kafka_assign(handle.pointer, list.pointer))
        }
    }

    /// Answers a `.revoke` (or `.error`): `rd_kafka_assign(NULL)` (eager: drops
    /// the whole assignment) or `rd_kafka_incremental_unassign(partitions)`.
    public func completeRevoke(_ partitions: [TopicPartition]) throws(KafkaError) {
        fetchWatch.assignmentChanged()
        if rebalanceProtocol == .cooperative {
            let list = RDKafkaTopicPartitionList(partitions)
            if let error = rd_kafka_incremental_unassign(handle.pointer, list.pointer) { throw .consuming(error) }
        } else {
            try check(rd_kafka_assign(handle.pointer, nil))
        }
    }

    /// Manual assignment outside any group rebalance, starting each partition
    /// at the given offset (or `KafkaOffset.beginning`/`.end`/`.stored`).
    public func assign(_ offsets: [TopicPartition: Int64]) throws(KafkaError) {
        fetchWatch.assignmentChanged()
        let list = RDKafkaTopicPartitionList(offsets: offsets)
        try check(rd_kafka_assign(handle.pointer, list.pointer))
    }

    /// Stops fetching from `partitions` (messages already fetched are dropped
    /// and fetched again after `resume`).
    public func pause(_ partitions: [TopicPartition]) throws(KafkaError) {
        let list = RDKafkaTopicPartitionList(partitions)
        try check(rd_kafka_pause_partitions(handle.pointer, list.pointer))
        if let error = list.firstError { throw error }
    }

    /// Restarts fetching from paused `partitions` at the next unconsumed offset.
    public func resume(_ partitions: [TopicPartition]) throws(KafkaError) {
        let list = RDKafkaTopicPartitionList(partitions)
        try check(rd_kafka_resume_partitions(handle.pointer, list.pointer))
        if let error = list.firstError { throw error }
    }

    /// The partitions currently assigned to this consumer.
    public func assignment() throws(KafkaError) -> [TopicPartition] {
        var pointer: RDKafkaTopicPartitionList.Pointer?
        try check(rd_kafka_assignment(handle.pointer, &pointer))
        guard let pointer else { return [] }
        return RDKafkaTopicPartitionList(adopting: pointer).entries.map(\.topicPartition)
    }

    func check(_ err: rd_kafka_resp_err_t) throws(KafkaError) {
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError(err) }
    }
}

/// Special offsets for `KafkaConsumer.assign` (librdkafka's logical offsets).
public enum KafkaOffset {
    public static let beginning: Int64 = -2
    public static let end: Int64 = -1
    public static let stored: Int64 = -1000
    public static let invalid: Int64 = -1001
}
