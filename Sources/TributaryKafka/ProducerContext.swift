internal import CRdKafka
import Synchronization

/// What a producer's `dr_msg_cb` records for `KafkaProducer.takeDeliveryReports()`.
final class ProducerContext: ClientContext, @unchecked Sendable {
    private let reports = Mutex<[DeliveryReport]>([])

    func record(_ report: DeliveryReport) {
        reports.withLock { $0.append(report) }
    }

    func takeDeliveryReports() -> [DeliveryReport] {
        reports.withLock { reports in
            defer { reports.removeAll(keepingCapacity: true) }
            return reports
        }
    }
}

enum ProducerCallbacks {
    /// `dr_msg_cb`: one report per produced message, served by `rd_kafka_poll`
    /// / `rd_kafka_flush` on the calling thread. The token rides in `_private`.
    static let delivery: @convention(c) (OpaquePointer?, UnsafePointer<rd_kafka_message_t>?, UnsafeMutableRawPointer?) -> Void = {
        _, message, opaque in
        guard let message, let opaque else { return }
        let context = Unmanaged<ProducerContext>.fromOpaque(opaque).takeUnretainedValue()
        let raw = message.pointee
        let error: KafkaError? = raw.err == RD_KAFKA_RESP_ERR_NO_ERROR ? nil : KafkaError(raw.err)
        context.record(
            DeliveryReport(
                token: UInt64(UInt(bitPattern: raw._private)),
                error: error, partition: raw.partition, offset: raw.offset))
    }
}
