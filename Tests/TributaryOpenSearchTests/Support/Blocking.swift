import Foundation

/// Runs blocking work (libcurl transfers, process waits) on a fresh thread so
/// it never occupies Swift's cooperative pool, and resumes with its result.
func onDedicatedThread<T: Sendable, E: Error>(
    _ work: @escaping @Sendable () throws(E) -> T
) async throws(E) -> T {
    let result: Result<T, E> = await withCheckedContinuation { continuation in
        let thread = Thread {
            continuation.resume(returning: Result { () throws(E) -> T in try work() })
        }
        thread.start()
    }
    return try result.get()
}

/// Seconds elapsed while running `work`.
func measure<T>(_ work: () async throws -> T) async rethrows -> (T, Double) {
    let clock = ContinuousClock()
    let start = clock.now
    let value = try await work()
    let elapsed = start.duration(to: clock.now)
    return (value, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
}

extension Process {
    /// SIGKILL, then wait for the exit. Not SIGTERM: a child spawned from a
    /// pool thread inherits that thread's blocked-signal mask, and programs
    /// that do not reset it (openssl does not) never see SIGTERM.
    func killAndWait() async {
        let process = self
        await onDedicatedThread { () -> Void in
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
    }
}
