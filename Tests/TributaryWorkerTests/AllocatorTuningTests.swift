import Testing
@testable import TributaryWorker

@Suite struct AllocatorTuningTests {
    @Test func malloc_tunables_in_the_environment_win() {
        func sets(_ tunables: String?) -> Bool {
            AllocatorTuning.environmentSetsAllocator(tunables.map { ["GLIBC_TUNABLES": $0] } ?? [:])
        }
        #expect(sets("glibc.malloc.arena_max=2"))
        #expect(sets("glibc.rtld.nns=2:glibc.malloc.top_pad=0"))
        #expect(!sets(nil))
        #expect(!sets(""))
        #expect(!sets("glibc.rtld.nns=2:glibc.pthread.rseq=0"))
        // A value that merely mentions malloc is not a malloc tunable.
        #expect(!sets("glibc.rtld.optional_static_tls=glibc.malloc.x"))
        #expect(AllocatorTuning.apply(environment: ["GLIBC_TUNABLES": "glibc.malloc.tcache_count=0"]) == .leftToEnvironment)
    }

    /// glibc still reads its older variables (`MALLOC_ARENA_MAX`,
    /// `MALLOC_TOP_PAD_`, ...); an operator who set one keeps the allocator as set.
    @Test func older_malloc_variables_win_too() {
        #expect(AllocatorTuning.environmentSetsAllocator(["MALLOC_ARENA_MAX": "2"]))
        #expect(AllocatorTuning.environmentSetsAllocator(["MALLOC_TOP_PAD_": "0", "PATH": "/bin"]))
        #expect(!AllocatorTuning.environmentSetsAllocator(["PATH": "/bin", "MY_MALLOC_NOTE": "x"]))
        #expect(AllocatorTuning.apply(environment: ["MALLOC_MMAP_THRESHOLD_": "131072"]) == .leftToEnvironment)
    }

    @Test func applies_all_three_settings_on_glibc() {
        let outcome = AllocatorTuning.apply(environment: ["GLIBC_TUNABLES": "glibc.rtld.nns=2"])
        #if canImport(Glibc)
        #expect(outcome == .applied(topPad: 4 << 20, mmapThreshold: 32 << 20, trimThreshold: 64 << 20))
        #else
        #expect(outcome == .unavailable)
        #endif
    }

    /// A fetch response of 8 partitions' worth (8 MB and more) must come from
    /// the heaps, where the next one reuses it, not from a mapping of its own
    /// that is handed back and faulted in again.
    @Test func a_fetch_response_sized_allocation_comes_from_the_heap() {
        guard case .applied = AllocatorTuning.apply(environment: [:]) else { return }
        let size = 12 << 20
        let before = AllocatorTuning.bytesInOwnMappings()
        let block = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
        defer { block.deallocate() }
        block.storeBytes(of: 1, as: UInt8.self)
        // Other tests may map or unmap meanwhile; none maps 12 MB at once.
        #expect(AllocatorTuning.bytesInOwnMappings() - before < size)
    }
}
