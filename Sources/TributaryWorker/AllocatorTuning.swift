import CMalloc

/// How the worker sets up glibc's allocator before it starts any thread.
///
/// A worker draining a backlog grows its memory by about a hundred megabytes
/// in a fraction of a second: librdkafka's prefetched fetch responses, the
/// routed documents and the bulk bodies. glibc grows each thread's heap by just
/// the bytes each allocation needs, one `mprotect` at a time (about 2,200 in a
/// 24,000-record drain), and every one of them takes the address space's lock
/// that the broker threads' page faults need. Growing heaps `topPad` at a time,
/// and keeping allocations under `mmapThreshold` in the heaps, cut that to
/// 5–390 calls and the drain's CPU by about 15 % (Benchmarks/README.md,
/// "Allocator").
///
/// Contract: `apply` changes nothing when the environment already sets
/// glibc's allocator, through a `glibc.malloc.` tunable in `GLIBC_TUNABLES`
/// or one of glibc's older `MALLOC_` variables (`MALLOC_ARENA_MAX`,
/// `MALLOC_TOP_PAD_`, ...): the operator's choice wins. Nor on a C library
/// other than glibc. Call it once, before the connectors start: a thread that
/// allocates meanwhile sees the old or the new settings, and either is safe.
/// Peak RSS in steady state does not move (the benchmark's memory mode: about
/// 85–105 MB with and without); a short drain's peak rises by about 5 MB,
/// since freed fetch buffers below `mmapThreshold` stay in the heaps for
/// reuse. A 16 MB pad drained no faster than 4 MB and kept about 12 MB more;
/// a 32 MB threshold was no faster than 4 MB and kept about 11 MB more.
public enum AllocatorTuning {
    /// Extra bytes each heap grows by, and keeps when it shrinks.
    public static let topPad = 4 << 20
    /// Allocations from this size up get their own mapping, returned to the
    /// system when freed: the largest of librdkafka's fetch buffers. Smaller
    /// ones come from the heaps and are reused there.
    public static let mmapThreshold = 4 << 20

    /// What `apply` did.
    public enum Outcome: Equatable, Sendable {
        case applied(topPad: Int, mmapThreshold: Int)
        /// The environment sets the allocator: left as the operator set it.
        case leftToEnvironment
        /// Not glibc, or glibc refused a setting.
        case unavailable
    }

    /// Whether `environment` sets glibc's allocator: a `glibc.malloc.`
    /// tunable in `GLIBC_TUNABLES`, or a variable glibc reads by its older
    /// names, all of which start with `MALLOC_`.
    public static func environmentSetsAllocator(_ environment: [String: String]) -> Bool {
        if environment.keys.contains(where: { $0.hasPrefix("MALLOC_") }) { return true }
        guard let tunables = environment["GLIBC_TUNABLES"] else { return false }
        return tunables.split(separator: ":").contains { $0.hasPrefix("glibc.malloc.") }
    }

    /// Applies `topPad` and `mmapThreshold` unless the environment sets the allocator.
    public static func apply(environment: [String: String]) -> Outcome {
        if environmentSetsAllocator(environment) { return .leftToEnvironment }
        #if canImport(Glibc)
        // mallopt returns 1 on success. Either call turns off glibc's moving
        // mmap threshold, which is why both are set together.
        guard mallopt(M_MMAP_THRESHOLD, Int32(mmapThreshold)) == 1, mallopt(M_TOP_PAD, Int32(topPad)) == 1 else {
            return .unavailable
        }
        return .applied(topPad: topPad, mmapThreshold: mmapThreshold)
        #else
        return .unavailable
        #endif
    }
}
