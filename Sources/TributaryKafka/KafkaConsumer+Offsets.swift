internal import CRdKafka

extension KafkaConsumer {
    /// Commits `offsets` (the NEXT offset to read per partition, Kafka's
    /// convention) for the group.
    ///
    /// - `synchronous: false`: returns at once; the outcome arrives later via
    ///   `takeCommitResults()` (after a `poll`).
    /// - `synchronous: true`: blocks until the broker answers and throws the
    ///   request or first partition error; no `CommitResult` is recorded. If
    ///   the coordinator is unreachable librdkafka defers the commit, so this can
    ///   block for about `session.timeout.ms` plus request timeouts.
    public func commit(_ offsets: [TopicPartition: Int64], synchronous: Bool) throws(KafkaError) {
        guard !offsets.isEmpty else { return }
        let list = RDKafkaTopicPartitionList(offsets: offsets)
        if synchronous {
            // A private temporary queue: served right here, and the global
            // offset_commit_cb is not invoked for it.
            try check(rd_kafka_commit_queue(handle.pointer, list.pointer, nil, nil, nil))
        } else {
            try check(rd_kafka_commit(handle.pointer, list.pointer, 1))
        }
    }

    /// Outcomes of asynchronous commits (and of librdkafka auto-commits, if
    /// enabled) recorded since the last call, in order.
    public func takeCommitResults() -> [CommitResult] {
        context.takeCommitResults()
    }

    /// The group's committed offsets (next offset to read), fetched from the
    /// coordinator. Partitions without a committed offset are omitted.
    public func committed(_ partitions: [TopicPartition], timeoutMs: Int32) throws(KafkaError) -> [TopicPartition: Int64] {
        let list = RDKafkaTopicPartitionList(partitions)
        try check(rd_kafka_committed(handle.pointer, list.pointer, timeoutMs))
        if let error = list.firstError { throw error }
        var result: [TopicPartition: Int64] = [:]
        for entry in list.entries where entry.offset >= 0 {
            result[entry.topicPartition] = entry.offset
        }
        return result
    }

    /// Watermarks librdkafka last saw in fetch responses (no network call).
    /// `nil` until the partition was fetched; `low` is -1001 (unknown) unless
    /// `statistics.interval.ms` is set.
    public func cachedWatermarks(_ tp: TopicPartition) -> (low: Int64, high: Int64)? {
        var low: Int64 = -1
        var high: Int64 = -1
        let err = rd_kafka_get_watermark_offsets(handle.pointer, tp.topic, tp.partition, &low, &high)
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR, high >= 0 else { return nil }
        return (low, high)
    }

    /// Asks the partition leader for the low and high watermarks (blocking).
    public func queryWatermarks(_ tp: TopicPartition, timeoutMs: Int32) throws(KafkaError) -> (low: Int64, high: Int64) {
        var low: Int64 = -1
        var high: Int64 = -1
        try check(rd_kafka_query_watermark_offsets(handle.pointer, tp.topic, tp.partition, &low, &high, timeoutMs))
        return (low, high)
    }

    /// The number of partitions of `topic`, from a metadata request (blocking).
    public func partitionCount(topic: String, timeoutMs: Int32) throws(KafkaError) -> Int32 {
        try RDKafkaMetadata.partitionCount(handle: handle.pointer, topic: topic, timeoutMs: timeoutMs)
    }
}
