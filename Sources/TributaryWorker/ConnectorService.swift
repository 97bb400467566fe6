import Foundation
public import Logging
public import ServiceLifecycle
public import TributaryCore

/// Runs one connector's pipeline as a `Service`.
///
/// The pipeline's blocking loop runs on a dedicated thread, never on the
/// cooperative pool. Graceful shutdown (SIGTERM/SIGINT through the
/// `ServiceGroup`) or cancellation asks it to stop fetching, drain in-flight
/// writes within `shutdown.timeout.ms`, commit and leave the group.
public struct ConnectorService: Service {
    public let config: ConnectorConfig
    private let logger: Logger

    public init(config: ConnectorConfig, logger: Logger) {
        self.config = config
        self.logger = logger
    }

    public func run() async throws {
        let pipeline = try ConnectorPipeline(config: config, logger: logger)
        try await withTaskCancellationHandler {
            try await withGracefulShutdownHandler {
                try await runOnDedicatedThread(name: "tributary-\(config.name)") {
                    do throws(PipelineError) { try pipeline.run() } catch { return error }
                    return nil
                }
            } onGracefulShutdown: {
                pipeline.requestStop()
            }
        } onCancel: {
            pipeline.requestStop()
        }
    }
}

/// Runs `body` on a new thread and resumes when it returns; `body` returns
/// the error that ended it, if any.
func runOnDedicatedThread(name: String, _ body: @escaping @Sendable () -> PipelineError?) async throws(PipelineError) {
    let error: PipelineError? = await withCheckedContinuation { continuation in
        let thread = Thread {
            continuation.resume(returning: body())
        }
        thread.name = name
        thread.stackSize = 4 << 20
        thread.start()
    }
    if let error { throw error }
}
