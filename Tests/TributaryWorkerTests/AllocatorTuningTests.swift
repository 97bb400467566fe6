import Testing
@testable import TributaryWorker

@Suite struct AllocatorTuningTests {
    @Test func malloc_tunables_in_the_environment_win() {
        #expect(AllocatorTuning.environmentSetsAllocator("glibc.malloc.arena_max=2"))
        #expect(AllocatorTuning.environmentSetsAllocator("glibc.rtld.nns=2:glibc.malloc.top_pad=0"))
        #expect(!AllocatorTuning.environmentSetsAllocator(nil))
        #expect(!AllocatorTuning.environmentSetsAllocator(""))
        #expect(!AllocatorTuning.environmentSetsAllocator("glibc.rtld.nns=2:glibc.pthread.rseq=0"))
        // A value that merely mentions malloc is not a malloc tunable.
        #expect(!AllocatorTuning.environmentSetsAllocator("glibc.rtld.optional_static_tls=glibc.malloc.x"))
        #expect(AllocatorTuning.apply(environment: ["GLIBC_TUNABLES": "glibc.malloc.tcache_count=0"]) == .leftToEnvironment)
    }

    @Test func applies_both_settings_on_glibc() {
        let outcome = AllocatorTuning.apply(environment: ["GLIBC_TUNABLES": "glibc.rtld.nns=2"])
        #if canImport(Glibc)
        #expect(outcome == .applied(topPad: 4 << 20, mmapThreshold: 4 << 20))
        #else
        #expect(outcome == .unavailable)
        #endif
    }
}
