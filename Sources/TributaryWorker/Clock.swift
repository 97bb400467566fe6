import Foundation

/// Milliseconds on a monotonic clock (for deadlines and intervals, never for timestamps).
@inline(__always)
func monotonicMs() -> UInt64 {
    DispatchTime.now().uptimeNanoseconds / 1_000_000
}
