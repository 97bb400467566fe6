internal import CRdKafka

/// Lends `[KafkaHeader]` to C as `crdkafka_header_t` entries pointing into
/// one contiguous buffer (one allocation for all names and values).
enum ProducerHeaders {
    private struct Span {
        var name: Range<Int>
        var value: Range<Int>?
    }

    static func withCHeaders<R>(
        _ headers: [KafkaHeader], _ body: (UnsafePointer<crdkafka_header_t>?, Int) -> R
    ) -> R {
        guard !headers.isEmpty else { return body(nil, 0) }

        var buffer: [UInt8] = []
        var spans: [Span] = []
        spans.reserveCapacity(headers.count)
        for header in headers {
            let nameStart = buffer.count
            buffer.append(contentsOf: header.key.utf8)
            let nameRange = nameStart..<buffer.count
            var valueRange: Range<Int>?
            if let value = header.value {
                let valueStart = buffer.count
                buffer.append(contentsOf: value)
                valueRange = valueStart..<buffer.count
            }
            spans.append(Span(name: nameRange, value: valueRange))
        }
        buffer.append(0)  // never empty, so every span (even an empty one) has a valid address

        return buffer.withUnsafeBytes { raw in
            let base = raw.baseAddress!
            let cHeaders = spans.map { span in
                crdkafka_header_t(
                    name: (base + span.name.lowerBound).assumingMemoryBound(to: CChar.self),
                    name_len: span.name.count,
                    value: span.value.map { base + $0.lowerBound },
                    value_len: span.value?.count ?? 0)
            }
            return cHeaders.withUnsafeBufferPointer { body($0.baseAddress, $0.count) }
        }
    }
}
