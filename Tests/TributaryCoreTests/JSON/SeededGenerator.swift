/// SplitMix64: a tiny deterministic generator, so property tests replay exactly.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension Array where Element == UInt8 {
    /// One or two random edits — replace, delete or insert a byte from
    /// `alphabet` — for the mutation property tests.
    mutating func mutate(from alphabet: [UInt8], using generator: inout SeededGenerator) {
        for _ in 0..<Int.random(in: 1...2, using: &generator) {
            guard !isEmpty else { return }
            let at = Int.random(in: 0..<count, using: &generator)
            let byte = alphabet.randomElement(using: &generator) ?? 0x20
            switch Int.random(in: 0..<3, using: &generator) {
            case 0: self[at] = byte
            case 1: remove(at: at)
            default: insert(byte, at: at)
            }
        }
    }
}
