internal import CRdKafka
import Logging

extension KafkaConsumer {
    /// Restarts librdkafka's fetchers: for each broker that `poll` took
    /// messages from, seeks one assigned partition fetched from it to its
    /// position, the offset after the last message `poll` returned. Returns
    /// how many partitions it seeked.
    ///
    /// A seek wakes the partition's broker thread, which then decides again
    /// for all of its partitions whether to fetch (see `FetchStallWatch`).
    /// It skips nothing and repeats nothing: the position is exactly the next
    /// offset this consumer has not received; messages of the partition still
    /// in librdkafka's queue or in flight are dropped (its version barrier)
    /// and fetched again from there. A partition seeked by a restart, which
    /// has delivered nothing since, is seeked to the same offset again; one
    /// that has delivered nothing since its assignment has no known offset
    /// and is not seeked (the broker's next most recent partition is). A paused
    /// partition stays paused and resumes from the same offset as without
    /// the seek. When librdkafka did not say which broker a message came
    /// from, every assigned partition with a position is seeked.
    ///
    /// Driver thread only (like `poll`); does not block: the seeks are sent,
    /// not awaited, and a seek that fails (a partition being revoked) leaves
    /// that partition as it was.
    @discardableResult
    func restartFetches() -> Int {
        var assignedPointer: RDKafkaTopicPartitionList.Pointer?
        guard rd_kafka_assignment(handle.pointer, &assignedPointer) == RD_KAFKA_RESP_ERR_NO_ERROR,
            let assignedPointer
        else { return 0 }
        let positions = RDKafkaTopicPartitionList(adopting: assignedPointer)
        guard rd_kafka_position(handle.pointer, positions.pointer) == RD_KAFKA_RESP_ERR_NO_ERROR else { return 0 }
        let entries = positions.entries
        var position: [TopicPartition: Int64] = [:]
        for entry in entries where entry.error == RD_KAFKA_RESP_ERR_NO_ERROR && entry.offset >= 0 {
            position[entry.topicPartition] = entry.offset
        }
        let assigned = Set(entries.map(\.topicPartition))

        // The newest assigned partition with a known offset from each group:
        // a broker's recent partitions, or, when librdkafka did not know a
        // message's broker, every assigned partition on its own.
        let groups =
            fetchWatch.recentPartitions.contains { $0.broker < 0 }
            ? assigned.sorted().map { [$0] } : fetchWatch.recentPartitions.map(\.partitions)
        var chosen: [(TopicPartition, Int64)] = []
        for group in groups {
            for partition in group where assigned.contains(partition) {
                guard let offset = fetchWatch.restartOffset(of: partition, position: position[partition]) else { continue }
                chosen.append((partition, offset))
                break
            }
        }
        guard !chosen.isEmpty else { return 0 }
        let seeks = RDKafkaTopicPartitionList(capacity: chosen.count)
        for (partition, offset) in chosen { seeks.add(partition, offset: offset) }
        // Timeout 0: asynchronous; per-partition results are not reported.
        if let error = rd_kafka_seek_partitions(handle.pointer, seeks.pointer, 0) {
            let text = rd_kafka_error_string(error).map { String(cString: $0) } ?? "unknown"
            rd_kafka_error_destroy(error)
            logger.debug("fetch restart failed", metadata: [KafkaLogMetadata.errorMessage: .string(text)])
            return 0
        }
        for (partition, offset) in chosen { fetchWatch.restarted(partition, at: offset) }
        return chosen.count
    }
}
