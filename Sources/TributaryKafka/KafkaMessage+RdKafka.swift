internal import CRdKafka

extension KafkaMessage {
    /// Copies a consumed `rd_kafka_message_t` (which must have `err == 0`)
    /// whose topic name the caller resolved (see `TopicNameCache`).
    init(copying message: UnsafeMutablePointer<rd_kafka_message_t>, topic: String) {
        let raw = message.pointee
        self.init(
            topic: topic,
            partition: raw.partition,
            offset: raw.offset,
            key: Self.bytes(raw.key, raw.key_len),
            value: Self.bytes(raw.payload, raw.len),
            headers: Self.headers(of: message),
            timestampMs: Self.timestamp(of: message))
    }

    /// `nil` pointer is a null field; a non-nil pointer with length 0 is empty.
    private static func bytes(_ pointer: UnsafeMutableRawPointer?, _ length: Int) -> [UInt8]? {
        guard let pointer else { return nil }
        return [UInt8](UnsafeRawBufferPointer(start: pointer, count: length))
    }

    private static func headers(of message: UnsafeMutablePointer<rd_kafka_message_t>) -> [KafkaHeader] {
        var list: OpaquePointer?
        guard rd_kafka_message_headers(message, &list) == RD_KAFKA_RESP_ERR_NO_ERROR, let list else { return [] }
        var headers: [KafkaHeader] = []
        var index = 0
        var name: UnsafePointer<CChar>?
        var value: UnsafeRawPointer?
        var size = 0
        while rd_kafka_header_get_all(list, index, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR {
            let key = name.map { String(cString: $0) } ?? ""
            let bytes = value.map { [UInt8](UnsafeRawBufferPointer(start: $0, count: size)) }
            headers.append(KafkaHeader(key: key, value: bytes))
            index += 1
        }
        return headers
    }

    private static func timestamp(of message: UnsafeMutablePointer<rd_kafka_message_t>) -> Int64? {
        var type = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE
        let value = rd_kafka_message_timestamp(message, &type)
        return type == RD_KAFKA_TIMESTAMP_NOT_AVAILABLE || value < 0 ? nil : value
    }
}

/// Topic names by librdkafka topic handle. A hit is verified against the
/// handle's current name (no allocation), so a reused address cannot mislabel.
struct TopicNameCache {
    private var names: [OpaquePointer: String] = [:]
    /// The last hit: a poll's messages mostly share a topic.
    private var last: (topic: OpaquePointer, name: String)?

    mutating func name(of topic: OpaquePointer?) -> String {
        guard let topic, let cName = rd_kafka_topic_name(topic) else { return "" }
        if let last, last.topic == topic, Self.equal(last.name, cName) { return last.name }
        if let cached = names[topic], Self.equal(cached, cName) {
            last = (topic, cached)
            return cached
        }
        let name = String(cString: cName)
        if names.count > 1024 { names.removeAll() }
        names[topic] = name
        last = (topic, name)
        return name
    }

    private static func equal(_ string: String, _ cString: UnsafePointer<CChar>) -> Bool {
        var index = 0
        for byte in string.utf8 {
            let c = UInt8(bitPattern: cString[index])
            if c == 0 || c != byte { return false }
            index += 1
        }
        return cString[index] == 0
    }
}
