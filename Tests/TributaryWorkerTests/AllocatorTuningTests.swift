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
        #expect(outcome == .applied(topPad: 4 << 20, mmapThreshold: 4 << 20, trimThreshold: 64 << 20))
        #else
        #expect(outcome == .unavailable)
        #endif
    }

    /// A large fetch response (12 MB) gets a mapping of its own, which goes
    /// back to the system when freed; a smaller buffer (2 MB) comes from the
    /// heaps. glibc's moving threshold, which the settings turn off, would by
    /// now have moved above 12 MB after the first such response was freed.
    @Test func large_buffers_get_their_own_mapping_and_small_ones_the_heap() {
        guard case .applied = AllocatorTuning.apply(environment: [:]) else { return }
        func mappedGrowth(allocating size: Int) -> Int {
            let before = AllocatorTuning.bytesInOwnMappings()
            let block = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
            defer { block.deallocate() }
            block.storeBytes(of: 1, as: UInt8.self)
            return AllocatorTuning.bytesInOwnMappings() - before
        }
        // Free a large mapping first: that is what moves glibc's own threshold.
        _ = mappedGrowth(allocating: 12 << 20)
        // Other tests may map or unmap meanwhile; none maps megabytes at once.
        #expect(mappedGrowth(allocating: 12 << 20) >= 12 << 20)
        #expect(mappedGrowth(allocating: 2 << 20) < 2 << 20)
    }
}
