import CMalloc

/// How the worker sets up glibc's allocator before it starts any thread.
///
/// A worker's memory turns over about as fast as it reads: every fetch
/// response librdkafka receives (up to `max.partition.fetch.bytes` for each of
/// a broker's partitions, 8 MB with 8 partitions per broker) is one
/// allocation, freed once the pipeline has routed its records. Three settings
/// keep that memory in the process instead of handing it back and faulting it
/// in again:
///
/// - `topPad`: heaps grow 4 MB at a time. glibc otherwise grows each thread's
///   heap by just the bytes each allocation needs, one `mprotect` at a time
///   (about 2,200 in a 24,000-record drain), each taking the address space's
///   lock the broker threads' page faults need.
/// - `mmapThreshold`: allocations up to 32 MB, fetch responses included, come
///   from the heaps, where a freed one is reused by the next.
/// - `trimThreshold`: a heap keeps up to 64 MB free at its top instead of
///   returning everything past 128 KB, so the next response lands in pages
///   already mapped.
///
/// glibc's own moving thresholds do much the same after the first fetch
/// response is freed (the mmap threshold rises to the largest mapping freed,
/// up to 32 MB, and the trim threshold to twice that), but setting `topPad`
/// turns them off, so all three are set. With `topPad` and a fixed 4 MB
/// threshold (2cd7c0f to 1d407d6), a 600,000-event steady drain took
/// 336,000–442,000 page faults and 1.20–1.47 CPU-s per 100 k events; with
/// these settings 17,000–21,000 faults and 0.93–1.07 CPU-s
/// (Benchmarks/README.md, "Allocator").
///
/// Contract: `apply` changes nothing when the environment already sets
/// glibc's allocator, through a `glibc.malloc.` tunable in `GLIBC_TUNABLES`
/// or one of glibc's older `MALLOC_` variables (`MALLOC_ARENA_MAX`,
/// `MALLOC_TOP_PAD_`, ...): the operator's choice wins. Nor on a C library
/// other than glibc. Call it once, before the connectors start: a thread that
/// allocates meanwhile sees the old or the new settings, and either is safe.
/// Memory stays bounded: a heap holds at most what it once had in use plus
/// `trimThreshold`, and in-use memory is bounded by the prefetch and the
/// pipeline's limits. The steady drain's peak RSS was 96–110 MB with these
/// settings against 96–99 MB with the earlier 4 MB threshold; a short
/// backlog drain's peak rose by about 8 MB.
public enum AllocatorTuning {
    /// Extra bytes each heap grows by, and keeps when it shrinks.
    public static let topPad = 4 << 20
    /// Allocations from this size up get their own mapping, returned to the
    /// system when freed; smaller ones come from the heaps and are reused
    /// there. glibc's largest accepted value on 64-bit.
    public static let mmapThreshold = 32 << 20
    /// Free bytes at a heap's top beyond which glibc returns them: twice
    /// `mmapThreshold`, as glibc's own moving threshold would set it.
    public static let trimThreshold = 64 << 20

    /// What `apply` did.
    public enum Outcome: Equatable, Sendable {
        case applied(topPad: Int, mmapThreshold: Int, trimThreshold: Int)
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

    /// Applies `topPad`, `mmapThreshold` and `trimThreshold` unless the
    /// environment sets the allocator.
    public static func apply(environment: [String: String]) -> Outcome {
        if environmentSetsAllocator(environment) { return .leftToEnvironment }
        #if canImport(Glibc)
        // mallopt returns 1 on success. Each of these calls turns off glibc's
        // moving thresholds, which is why all three are set together.
        guard mallopt(M_MMAP_THRESHOLD, Int32(mmapThreshold)) == 1,
            mallopt(M_TRIM_THRESHOLD, Int32(trimThreshold)) == 1,
            mallopt(M_TOP_PAD, Int32(topPad)) == 1
        else {
            return .unavailable
        }
        return .applied(topPad: topPad, mmapThreshold: mmapThreshold, trimThreshold: trimThreshold)
        #else
        return .unavailable
        #endif
    }

    /// Bytes in allocations that have their own mapping (glibc's `hblkhd`),
    /// over all threads; 0 where that is not known.
    static func bytesInOwnMappings() -> Int {
        #if canImport(Glibc)
        return mallinfo2().hblkhd
        #else
        return 0
        #endif
    }
}
