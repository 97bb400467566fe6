internal import CRdKafka

/// Cluster metadata lookups. The metadata struct librdkafka allocates is
/// freed before returning.
enum RDKafkaMetadata {
    /// Partition count of one topic; throws `_UNKNOWN_TOPIC` if absent or its error.
    static func partitionCount(handle: OpaquePointer, topic: String, timeoutMs: Int32) throws(KafkaError) -> Int32 {
        var metadata: UnsafePointer<rd_kafka_metadata>?
        let err = rd_kafka_metadata(handle, 1, nil, &metadata, timeoutMs)
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR, let metadata else { throw KafkaError(err) }
        defer { rd_kafka_metadata_destroy(metadata) }

        let topics = UnsafeBufferPointer(start: metadata.pointee.topics, count: Int(metadata.pointee.topic_cnt))
        guard let entry = topics.first(where: { $0.topic.map { String(cString: $0) } == topic }) else {
            throw KafkaError(RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC, message: "topic \(topic) not in cluster metadata")
        }
        guard entry.err == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError(entry.err) }
        return entry.partition_cnt
    }
}
