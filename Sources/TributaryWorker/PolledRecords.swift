import TributaryKafka

/// Polled records read by index, in place: a `KafkaMessageBatch` (an array
/// in tests). Accessors may run on several threads at once for distinct indexes.
protocol PolledRecords: AnyObject, Sendable {
    var count: Int { get }
    func topic(at index: Int) -> String
    func partition(at index: Int) -> Int32
    func offset(at index: Int) -> Int64
    /// The key and the value in place (nil for a null key or value), valid inside `body` only.
    func withKeyAndValue<R, E: Error>(
        at index: Int, _ body: (_ key: UnsafeRawBufferPointer?, _ value: UnsafeRawBufferPointer?) throws(E) -> R
    ) throws(E) -> R
    /// The whole record, copied.
    func message(at index: Int) -> KafkaMessage
}

extension KafkaMessageBatch: PolledRecords {}
