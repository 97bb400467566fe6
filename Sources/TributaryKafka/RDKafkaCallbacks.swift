internal import CRdKafka
import Logging

/// The C callbacks every TributaryKafka instance installs. Each recovers its
/// `ClientContext` from the instance opaque and only records or logs.
enum RDKafkaCallbacks {
    /// `log_cb`: librdkafka's own log lines into swift-log (any thread).
    static let log: @convention(c) (OpaquePointer?, Int32, UnsafePointer<CChar>?, UnsafePointer<CChar>?) -> Void = {
        handle, level, facility, text in
        guard let handle, let opaque = rd_kafka_opaque(handle) else { return }
        let context = Unmanaged<ClientContext>.fromOpaque(opaque).takeUnretainedValue()
        context.logger.log(
            level: logLevel(syslog: level),
            "librdkafka log",
            metadata: [
                KafkaLogMetadata.client: .string(String(cString: rd_kafka_name(handle))),
                KafkaLogMetadata.facility: .string(facility.map { String(cString: $0) } ?? ""),
                KafkaLogMetadata.text: .string(text.map { String(cString: $0) } ?? ""),
            ])
    }

    /// `error_cb`: instance-level errors (brokers down, fatal errors), served by poll.
    static let error: @convention(c) (OpaquePointer?, Int32, UnsafePointer<CChar>?, UnsafeMutableRawPointer?) -> Void = {
        handle, code, reason, opaque in
        guard let handle, let opaque else { return }
        let context = Unmanaged<ClientContext>.fromOpaque(opaque).takeUnretainedValue()
        let err = rd_kafka_resp_err_t(rawValue: code)
        let error: KafkaError
        if err == RD_KAFKA_RESP_ERR__FATAL, let fatal = KafkaError.fatal(of: handle) {
            error = fatal
        } else {
            error = KafkaError(err, message: reason.map { String(cString: $0) })
        }
        context.record(error: error)
        context.logger.log(
            level: error.isFatal ? .critical : .warning,
            "librdkafka error",
            metadata: [
                KafkaLogMetadata.client: .string(String(cString: rd_kafka_name(handle))),
                KafkaLogMetadata.errorCode: .stringConvertible(error.code),
                KafkaLogMetadata.errorName: .string(error.name),
                KafkaLogMetadata.errorMessage: .string(error.message),
            ])
        if error.isFatal {
            // Make a blocked consumer poll return so the owner sees it promptly.
            rd_kafka_yield(handle)
        }
    }

    /// syslog(3) severities, as librdkafka uses them, to swift-log levels.
    static func logLevel(syslog level: Int32) -> Logger.Level {
        switch level {
        case ...2: .critical
        case 3: .error
        case 4: .warning
        case 5: .notice
        case 6: .info
        default: .debug
        }
    }
}
