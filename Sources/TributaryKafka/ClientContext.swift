import Logging
import Synchronization

/// State shared between one librdkafka instance's C callbacks and its Swift
/// owner. It is the instance's `opaque` pointer (unretained): the owner keeps
/// it alive until after `rd_kafka_destroy` returns.
///
/// Callbacks only record here (and log); the owner drains what they recorded.
/// `log_cb` runs on librdkafka's internal threads, `error_cb` and the
/// consumer/producer callbacks on the thread that polls; all state is locked.
class ClientContext: @unchecked Sendable {
    let logger: Logger
    private let shared = Mutex(Shared())

    private struct Shared {
        var fatalError: KafkaError?
        var errors: [KafkaError] = []
        var droppedErrors = 0
        var isClosing = false
    }

    /// Errors kept for `takeErrors()` before the oldest are dropped.
    static let errorCapacity = 256

    init(logger: Logger) {
        self.logger = logger
    }

    /// The first fatal error raised on this instance, if any.
    var fatalError: KafkaError? { shared.withLock { $0.fatalError } }

    /// Set once the owner starts closing/destroying the instance: callbacks
    /// that librdkafka blocks on must then act themselves (nobody polls later).
    var isClosing: Bool {
        get { shared.withLock { $0.isClosing } }
        set { shared.withLock { $0.isClosing = newValue } }
    }

    func record(error: KafkaError) {
        shared.withLock { state in
            if error.isFatal, state.fatalError == nil { state.fatalError = error }
            if state.errors.count >= Self.errorCapacity {
                state.errors.removeFirst()
                state.droppedErrors += 1
            }
            state.errors.append(error)
        }
    }

    /// Errors reported by `error_cb` since the last call, oldest first.
    func takeErrors() -> [KafkaError] {
        shared.withLock { state in
            defer { state.errors.removeAll(keepingCapacity: true) }
            return state.errors
        }
    }
}
