internal import CRdKafka
import Logging

extension KafkaConsumer {
    /// Blocks up to `timeoutMs` for the first message, then takes what is
    /// immediately available, up to `maxMessages`, and copies it out.
    ///
    /// Returns early (possibly empty) when a rebalance was recorded, on
    /// `wake()`, or on timeout. Partition-EOF events are skipped; other
    /// message-level errors are logged and skipped unless fatal, which throw
    /// (as does a fatal instance error). A poll that empties librdkafka's
    /// queue after it came near its prefetch bound restarts the fetchers
    /// (`restartFetches()`, see `FetchStallWatch`).
    public func poll(maxMessages: Int, timeoutMs: Int32) throws(KafkaError) -> [KafkaMessage] {
        try pollBatch(maxMessages: maxMessages, timeoutMs: timeoutMs).copyAll()
    }

    /// `poll`, leaving the records in librdkafka's buffers until the caller
    /// copies them (`KafkaMessageBatch.message(at:)`, on any thread).
    public func pollBatch(maxMessages: Int, timeoutMs: Int32) throws(KafkaError) -> KafkaMessageBatch {
        if let fatal = context.fatalError { throw fatal }
        var messages: [UnsafeMutablePointer<rd_kafka_message_t>] = []
        var topics: [String] = []
        // Every message taken ends up in the returned batch, or is destroyed here.
        func batch() -> KafkaMessageBatch { KafkaMessageBatch(messages: messages, topics: topics, handle: handle) }
        func destroyTaken() { for message in messages { rd_kafka_message_destroy(message) } }
        guard maxMessages > 0 else { return batch() }

        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: .milliseconds(max(timeoutMs, 0)))
        messages.reserveCapacity(min(maxMessages, 512))
        topics.reserveCapacity(min(maxMessages, 512))
        var payloadBytes = 0

        while messages.count < maxMessages {
            let wait = messages.isEmpty ? Self.milliseconds(until: deadline, clock: clock) : 0
            guard let message = rd_kafka_consumer_poll(handle.pointer, wait) else { break }
            let err = message.pointee.err
            if err == RD_KAFKA_RESP_ERR_NO_ERROR {
                messages.append(message)
                topics.append(topicNames.name(of: message.pointee.rkt))
                payloadBytes += message.pointee.len
                continue
            }
            defer { rd_kafka_message_destroy(message) }
            if err != RD_KAFKA_RESP_ERR__PARTITION_EOF {
                do {
                    try skipOrThrow(consumerError: err, message: message)
                } catch {
                    destroyTaken()
                    throw error
                }
            }
        }

        if messages.isEmpty, let fatal = context.fatalError { throw fatal }
        noteBrokers(of: messages, topics: topics)
        if fetchWatch.pollEnded(taken: messages.count, payloadBytes: payloadBytes, left: queuedMessages) {
            let seeked = restartFetches()
            if seeked > 0 {
                fetchRestarts += 1
                logger.trace(
                    "fetchers restarted: the prefetch queue ran empty after nearing its bound",
                    metadata: [KafkaLogMetadata.partitions: .stringConvertible(seeked)])
            }
        }
        return batch()
    }

    /// Tells `fetchWatch` which broker each run of a partition's messages
    /// came from (a poll's messages come in runs of one partition).
    private func noteBrokers(of messages: [UnsafeMutablePointer<rd_kafka_message_t>], topics: [String]) {
        var previous: (topic: OpaquePointer?, partition: Int32) = (nil, -1)
        for (index, message) in messages.enumerated() {
            let current = (message.pointee.rkt, message.pointee.partition)
            guard current != previous else { continue }
            previous = current
            fetchWatch.fetched(
                TopicPartition(topic: topics[index], partition: current.1), from: rd_kafka_message_broker_id(message))
        }
    }

    private func skipOrThrow(consumerError err: rd_kafka_resp_err_t, message: UnsafeMutablePointer<rd_kafka_message_t>) throws(KafkaError) {
        let error: KafkaError
        if err == RD_KAFKA_RESP_ERR__FATAL, let fatal = KafkaError.fatal(of: handle.pointer) {
            error = fatal
        } else {
            let text = rd_kafka_message_errstr(message).map { String(cString: $0) }
            error = KafkaError(err, message: text)
        }
        if error.isFatal { throw error }
        var metadata: Logger.Metadata = [
            KafkaLogMetadata.errorName: .string(error.name),
            KafkaLogMetadata.errorMessage: .string(error.message),
        ]
        if let topic = message.pointee.rkt {
            metadata[KafkaLogMetadata.topic] = .string(topicNames.name(of: topic))
            metadata[KafkaLogMetadata.partition] = .stringConvertible(message.pointee.partition)
        }
        logger.warning("consumer error skipped", metadata: metadata)
    }

    private static func milliseconds(until deadline: ContinuousClock.Instant, clock: ContinuousClock) -> Int32 {
        let remaining = clock.now.duration(to: deadline)
        guard remaining > .zero else { return 0 }
        let (seconds, attoseconds) = remaining.components
        let millis = seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int32(clamping: millis)
    }
}
