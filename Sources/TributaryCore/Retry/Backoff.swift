/// Exponential backoff with full jitter.
///
/// The ceiling for attempt `n` (0-based) is `min(maximum, base × 2ⁿ)`; the
/// delay is drawn uniformly from `0...ceiling` so that many workers retrying
/// at once spread out instead of hammering the cluster in step.
public struct Backoff: Sendable, Hashable {
    public var baseMs: Int
    public var maximumMs: Int

    public init(baseMs: Int, maximumMs: Int) {
        self.baseMs = max(1, baseMs)
        self.maximumMs = max(self.baseMs, maximumMs)
    }

    /// The upper bound of the delay before retry `attempt` (0-based).
    public func ceilingMs(attempt: Int) -> Int {
        let shift = min(max(attempt, 0), 30)
        let (scaled, overflow) = baseMs.multipliedReportingOverflow(by: 1 << shift)
        return overflow ? maximumMs : min(maximumMs, scaled)
    }

    /// A jittered delay before retry `attempt`.
    public func delayMs(attempt: Int, using generator: inout some RandomNumberGenerator) -> Int {
        Int.random(in: 0...ceilingMs(attempt: attempt), using: &generator)
    }

    /// A jittered delay drawn from the system generator.
    public func delayMs(attempt: Int) -> Int {
        var generator = SystemRandomNumberGenerator()
        return delayMs(attempt: attempt, using: &generator)
    }
}
