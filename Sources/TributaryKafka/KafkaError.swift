/// The one error type of TributaryKafka: a librdkafka error code with its
/// name and message, and what the caller should do about it.
///
/// - `isRetriable`: the same operation may succeed later unchanged
///   (transport problems, timeouts, a full queue, leader/coordinator moves).
/// - `isFatal`: the client instance is unusable; destroy it and start over.
/// - Neither: a permanent failure of this operation (bad argument, authorization,
///   a commit refused because of a rebalance, ...).
public struct KafkaError: Error, Sendable, CustomStringConvertible {
    /// Raw `rd_kafka_resp_err_t`: negative values are librdkafka-local
    /// (e.g. -184 `_QUEUE_FULL`), positive ones are Kafka protocol errors.
    public var code: Int32
    /// librdkafka's symbolic name, e.g. `_QUEUE_FULL`, `REBALANCE_IN_PROGRESS`.
    public var name: String
    /// Human-readable detail.
    public var message: String
    public var isRetriable: Bool
    public var isFatal: Bool

    public init(code: Int32, name: String, message: String, isRetriable: Bool, isFatal: Bool) {
        self.code = code
        self.name = name
        self.message = message
        self.isRetriable = isRetriable
        self.isFatal = isFatal
    }

    public var description: String {
        var text = "\(name) (\(code)): \(message)"
        if isFatal { text += " [fatal]" } else if isRetriable { text += " [retriable]" }
        return text
    }
}

extension KafkaError {
    /// Raw codes the worker may want to test for; values are librdkafka's ABI.
    public enum Code {
        public static let noError: Int32 = 0
        public static let fatal: Int32 = -150
        public static let assignmentLost: Int32 = -142
        public static let noOffset: Int32 = -168
        public static let state: Int32 = -172
        public static let unknownGroup: Int32 = -179
        public static let queueFull: Int32 = -184
        public static let timedOut: Int32 = -185
        public static let invalidArgument: Int32 = -186
        public static let allBrokersDown: Int32 = -187
        public static let unknownTopic: Int32 = -188
        public static let unknownPartition: Int32 = -190
        public static let partitionEOF: Int32 = -191
        public static let messageTimedOut: Int32 = -192
        public static let transport: Int32 = -195
        public static let destroyed: Int32 = -197
        public static let unknownTopicOrPartition: Int32 = 3
        public static let requestTimedOut: Int32 = 7
        public static let rebalanceInProgress: Int32 = 27
    }

    public var isQueueFull: Bool { code == Code.queueFull }
    public var isPartitionEOF: Bool { code == Code.partitionEOF }
    public var isTimedOut: Bool { code == Code.timedOut || code == Code.requestTimedOut }
    public var isTransport: Bool { code == Code.transport || code == Code.allBrokersDown }
    public var isRebalanceInProgress: Bool { code == Code.rebalanceInProgress }
    public var isAssignmentLost: Bool { code == Code.assignmentLost }
    public var isUnknownTopicOrPartition: Bool {
        code == Code.unknownTopicOrPartition || code == Code.unknownTopic || code == Code.unknownPartition
    }

    /// A configuration property was rejected (by name) before any client existed.
    public static func configuration(key: String, message: String) -> KafkaError {
        KafkaError(
            code: Code.invalidArgument, name: "_INVALID_ARG",
            message: "configuration property \(key): \(message)", isRetriable: false, isFatal: false)
    }

    /// An argument to a TributaryKafka call was unusable (never a librdkafka result).
    public static func invalidArgument(_ message: String) -> KafkaError {
        KafkaError(
            code: Code.invalidArgument, name: "_INVALID_ARG", message: message,
            isRetriable: false, isFatal: false)
    }
}
