import Testing
@testable import TributaryCore

@Suite("Base64 integers decode as bytes, sign-extended")
struct Base64Tests {
    /// What `decodeInteger` must equal: the general decode, at most 8 bytes,
    /// sign-extended from the first.
    static func reference(_ text: String) -> Int64? {
        guard let bytes = Base64.decode(text), bytes.count <= 8 else { return nil }
        var value: Int64 = 0
        for (index, byte) in bytes.enumerated() {
            value = index == 0 ? Int64(Int8(bitPattern: byte)) : value << 8 | Int64(byte)
        }
        return value
    }

    static func integer(_ text: String) -> Int64? {
        var text = text
        return text.withUTF8 { Base64.decodeInteger(utf8: $0) }
    }

    @Test("every length of 0 to 12 bytes, padded and not, and mutated text (seeded)")
    func matchesTheGeneralDecode() {
        var random = SeededGenerator(seed: 0xB64)
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_ .".utf8)
        var checked = 0
        for length in 0...12 {
            for _ in 0..<400 {
                let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &random) }
                var text = Array(Base64.encode(bytes).utf8)
                switch Int.random(in: 0..<4, using: &random) {
                case 0: while text.last == UInt8(ascii: "=") { text.removeLast() }  // unpadded
                case 1 where !text.isEmpty: text[Int.random(in: 0..<text.count, using: &random)] = alphabet.randomElement(using: &random)!
                case 2: text.append(alphabet.randomElement(using: &random)!)
                default: break
                }
                let string = String(decoding: text, as: UTF8.self)
                #expect(Self.integer(string) == Self.reference(string), "\(string)")
                checked += 1
            }
        }
        #expect(checked == 13 * 400)
        // Hand-checked: Kafka Connect's Decimal bytes.
        #expect(Self.integer("AdTA") == 120_000)  // 0x01D4C0
        #expect(Self.integer("/w==") == -1)
        #expect(Self.integer("AA==") == 0)
        #expect(Self.integer("") == 0)
        #expect(Self.integer("gAAAAAAAAAA=") == Int64.min)
        #expect(Self.integer("f/////////8=") == Int64.max)
        #expect(Self.integer("AQAAAAAAAAAA") == nil)  // 9 bytes
        #expect(Self.integer("A") == nil)
    }
}
