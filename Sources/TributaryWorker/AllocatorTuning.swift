import CMalloc

/// How the worker sets up glibc's allocator before it starts any thread.
///
/// A worker's memory turns over about as fast as it reads: fetch responses,
/// routed documents and bulk bodies are allocated and freed continuously.
/// Three settings keep the heaps from handing memory back only to fault it
/// in again, while the largest buffers still go back to the system:
///
/// - `topPad`: heaps grow 4 MB at a time. glibc otherwise grows each thread's
///   heap by just the bytes each allocation needs, one `mprotect` at a time
///   (about 2,200 in a 24,000-record drain), each taking the address space's
///   lock the broker threads' page faults need.
/// - `mmapThreshold`: allocations from 4 MB up (librdkafka's larger fetch
///   responses: up to `max.partition.fetch.bytes` for each of a broker's
///   partitions) get mappings of their own and go back to the system when
///   freed, so a backlog's prefetch does not stay in the heaps.
/// - `trimThreshold`: a heap keeps up to 64 MB free at its top instead of
///   returning everything past 128 KB, so what it freed is reused in place.
///
/// Setting `topPad` turns off glibc's moving thresholds, which would
/// otherwise rise to the largest mapping freed (up to 32 MB) and keep fetch
/// responses in the heaps. That cuts a steady drain's page faults further
/// but costs memory on a large backlog: draining a 274 MB backlog, peak
/// RSS was 222–265 MB with a 32 MB threshold against 143–204 MB with these
/// settings and 134–206 MB with the earlier default trim (Benchmarks/README.md,
/// "Allocator"). In a 600,000-event steady drain these settings took 62,000–
/// 89,000 page faults, a 32 MB threshold 17,000–21,000, and the default trim
/// 336,000–442,000.
///
/// Contract: `apply` changes nothing when the environment already sets
/// glibc's allocator, through a `glibc.malloc.` tunable in `GLIBC_TUNABLES`
/// or one of glibc's older `MALLOC_` variables (`MALLOC_ARENA_MAX`,
/// `MALLOC_TOP_PAD_`, ...): the operator's choice wins. Nor on a C library
/// other than glibc. Call it once, before the connectors start: a thread that
/// allocates meanwhile sees the old or the new settings, and either is safe.
/// A heap holds at most what it once had in use plus `trimThreshold`.
public enum AllocatorTuning {
    /// Extra bytes each heap grows by, and keeps when it shrinks.
    public static let topPad = 4 << 20
    /// Allocations from this size up get their own mapping, returned to the
    /// system when freed; smaller ones come from the heaps and are reused there.
    public static let mmapThreshold = 4 << 20
    /// Free bytes at a heap's top beyond which glibc returns them to the system.
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
