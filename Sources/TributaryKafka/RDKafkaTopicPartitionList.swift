internal import CRdKafka

/// Owns one `rd_kafka_topic_partition_list_t` (ours or adopted from
/// librdkafka) and frees it in `deinit`. Borrowed lists (callback arguments)
/// are read with the static `entries(in:)` instead.
final class RDKafkaTopicPartitionList {
    typealias Pointer = UnsafeMutablePointer<rd_kafka_topic_partition_list_t>

    /// One element, copied out.
    struct Entry {
        var topicPartition: TopicPartition
        var offset: Int64
        var error: rd_kafka_resp_err_t
    }

    let pointer: Pointer

    init(capacity: Int = 1) {
        pointer = rd_kafka_topic_partition_list_new(Int32(clamping: max(capacity, 1)))
    }

    /// Takes ownership of a list librdkafka returned (e.g. from `rd_kafka_assignment`).
    init(adopting pointer: Pointer) {
        self.pointer = pointer
    }

    /// A list of partitions at `RD_KAFKA_OFFSET_INVALID` ("use the committed offset").
    convenience init(_ partitions: [TopicPartition]) {
        self.init(capacity: partitions.count)
        for partition in partitions { add(partition, offset: Int64(RD_KAFKA_OFFSET_INVALID)) }
    }

    /// A list of partitions with explicit offsets, in a stable order.
    convenience init(offsets: [TopicPartition: Int64]) {
        self.init(capacity: offsets.count)
        for (partition, offset) in offsets.sorted(by: { $0.key < $1.key }) { add(partition, offset: offset) }
    }

    deinit { rd_kafka_topic_partition_list_destroy(pointer) }

    func add(_ topicPartition: TopicPartition, offset: Int64) {
        let element = rd_kafka_topic_partition_list_add(pointer, topicPartition.topic, topicPartition.partition)
        element?.pointee.offset = offset
    }

    var entries: [Entry] { Self.entries(in: pointer) }

    /// The first per-partition error, if any.
    var firstError: KafkaError? {
        entries.first { $0.error != RD_KAFKA_RESP_ERR_NO_ERROR }.map { entry in
            KafkaError(entry.error, message: "\(entry.topicPartition): \(String(cString: rd_kafka_err2str(entry.error)))")
        }
    }

    /// Copies the elements of a list this code does not own (valid only during the call).
    static func entries(in list: UnsafePointer<rd_kafka_topic_partition_list_t>) -> [Entry] {
        let count = Int(list.pointee.cnt)
        guard count > 0, let elements = list.pointee.elems else { return [] }
        var result: [Entry] = []
        result.reserveCapacity(count)
        for index in 0..<count {
            let element = elements[index]
            let topic = element.topic.map { String(cString: $0) } ?? ""
            result.append(
                Entry(
                    topicPartition: TopicPartition(topic: topic, partition: element.partition),
                    offset: element.offset, error: element.err))
        }
        return result
    }
}
