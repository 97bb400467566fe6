import Testing

@testable import TributaryCore

@Suite("JSONStringScan finds the bytes that end a run of string content")
struct JSONStringScanTests {
    /// The byte-by-byte answer: the first `"`, `\` or control byte, and the OR of the bytes before it.
    static func expected(_ bytes: [UInt8], from start: Int) -> (stop: Int, seen: UInt64) {
        var seen: UInt64 = 0
        for index in start..<bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 { return (index, seen) }
            seen |= UInt64(byte)
        }
        return (bytes.count, seen)
    }

    @Test("every stop at every offset, over inputs of every length around the block and word sizes")
    func stopsAgreeWithByteLoop() {
        var generator = SeededGenerator(seed: 0x5EED_0009)
        let plain: [UInt8] = Array("az09 {}:,é".utf8) + [0x7F, 0x80, 0xBF, 0xFF, 0x20, 0x21, 0x5B, 0x5D]
        let stops: [UInt8] = [0x22, 0x5C, 0x00, 0x0A, 0x1F]
        for length in 0..<48 {
            for _ in 0..<40 {
                var bytes = (0..<length).map { _ in plain[Int(generator.next() % UInt64(plain.count))] }
                // No stop, or one or two at random places.
                for _ in 0..<Int(generator.next() % 3) where length > 0 {
                    bytes[Int(generator.next() % UInt64(length))] = stops[Int(generator.next() % UInt64(stops.count))]
                }
                let start = length == 0 ? 0 : Int(generator.next() % UInt64(length))
                var seen: UInt64 = 0
                let stop = bytes.withUnsafeBufferPointer { JSONStringScan.firstStop(in: $0, from: start, seen: &seen) }
                let (expectedStop, expectedSeen) = Self.expected(bytes, from: start)
                #expect(stop == expectedStop, "\(bytes) from \(start)")
                // `seen` folds bytes into a word: compare what callers read, the high bits.
                #expect((seen & 0x8080_8080_8080_8080 != 0) == (expectedSeen & 0x80 != 0), "\(bytes) from \(start)")
            }
        }
    }
}
