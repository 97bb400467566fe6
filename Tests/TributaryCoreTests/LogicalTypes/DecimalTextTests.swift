import Testing
@testable import TributaryCore

@Suite("Exact decimals from two's-complement bytes")
struct DecimalTextTests {
    func decimal(_ base64: String, scale: Int) -> String? {
        Base64.decode(base64).map { DecimalText.literal(twosComplement: $0, scale: scale) }
    }

    @Test("hand-computed Debezium Decimal values")
    func handComputed() {
        #expect(decimal("AdTA", scale: 2) == "1200.00")  // 0x01D4C0 = 120000
        #expect(decimal("AK/I", scale: 2) == "450.00")  // 0x00AFC8 = 45000
        #expect(decimal("AfM=", scale: 2) == "4.99")  // 0x01F3 = 499
        #expect(decimal("CcM=", scale: 2) == "24.99")  // 0x09C3 = 2499
        #expect(decimal("ASs=", scale: 2) == "2.99")  // 0x012B = 299
        #expect(decimal("B8YV", scale: 2) == "5094.61")  // 0x07C615 = 509461
        #expect(decimal("OSw=", scale: 2) == "146.36")  // 0x392C = 14636 (VariableScaleDecimal)
        #expect(decimal("/w==", scale: 0) == "-1")
        #expect(decimal("/w==", scale: 3) == "-0.001")
        #expect(decimal("gA==", scale: 1) == "-12.8")
        #expect(decimal("AA==", scale: 2) == "0.00")
        #expect(decimal("", scale: 0) == "0")
        #expect(decimal("DA==", scale: -2) == "1200")
        #expect(decimal("AP8=", scale: 0) == "255")
        #expect(decimal("AIAAAAAAAAAA", scale: 0) == "9223372036854775808")  // 2^63, beyond Int64
        #expect(decimal("not base64!", scale: 2) == nil)
    }

    @Test("a VariableScaleDecimal struct and decimal.format=string")
    func variableScaleAndString() throws {
        let value: JSONValue = .object(["scale": .number(JSONNumber(2)), "value": .string("OSw=")])
        let number = try ValueConverter.variableScaleDecimal.apply(value, options: LogicalTypeOptions(), field: "price")
        #expect(number == .number(JSONNumber(unchecked: "146.36")))
        let string = try ValueConverter.decimal(scale: 2).apply(.string("AdTA"), options: LogicalTypeOptions(decimalFormat: .string), field: "p")
        #expect(string == .string("1200.00"))
        #expect(throws: DecodeError.self) { try ValueConverter.decimal(scale: 2).apply(.string("%%"), options: LogicalTypeOptions(), field: "p") }
    }

    // MARK: Property test against an independent encoder

    /// Big-endian magnitude bytes of a decimal digit string, by multiply-and-add in base 256.
    static func magnitudeBytes(_ digits: [UInt8]) -> [UInt8] {
        var bytes: [UInt8] = [0]  // little-endian while building
        for digit in digits {
            var carry = UInt32(digit)
            for index in bytes.indices {
                let value = UInt32(bytes[index]) * 10 + carry
                bytes[index] = UInt8(value & 0xFF)
                carry = value >> 8
            }
            while carry > 0 {
                bytes.append(UInt8(carry & 0xFF))
                carry >>= 8
            }
        }
        while bytes.count > 1 && bytes.last == 0 { bytes.removeLast() }
        return bytes.reversed()
    }

    /// Minimal two's-complement bytes (as Java's BigInteger.toByteArray), plus `pad` sign-extension bytes.
    static func twosComplement(magnitude: [UInt8], negative: Bool, pad: Int) -> [UInt8] {
        var bytes = magnitude
        if bytes[0] & 0x80 != 0 { bytes.insert(0, at: 0) }
        if negative {
            for index in bytes.indices { bytes[index] = ~bytes[index] }
            var index = bytes.count - 1
            while true {
                bytes[index] &+= 1
                if bytes[index] != 0 || index == 0 { break }
                index -= 1
            }
            // -2^(8n-1) style values can now have a redundant 0xFF prefix: harmless.
        }
        let fill: UInt8 = negative ? 0xFF : 0x00
        return Array(repeating: fill, count: pad) + bytes
    }

    /// The expected literal, built only with string operations.
    static func expected(digits: [UInt8], negative: Bool, scale: Int) -> String {
        var text = String(digits.drop(while: { $0 == 0 }).map { Character(String($0)) })
        if text.isEmpty { text = "0" }
        let isZero = text == "0"
        if scale > 0 {
            if text.count <= scale { text = String(repeating: "0", count: scale - text.count + 1) + text }
            text.insert(".", at: text.index(text.endIndex, offsetBy: -scale))
        }
        return (negative && !isZero ? "-" : "") + text
    }

    @Test("random precision 1–60, scale 0–30 and sign round-trip exactly (seeded)")
    func randomDecimals() {
        var random = SeededGenerator(seed: 0x5EED_DEC1)
        for _ in 0..<3000 {
            let precision = Int.random(in: 1...60, using: &random)
            let digits = (0..<precision).map { _ in UInt8.random(in: 0...9, using: &random) }
            let negative = Bool.random(using: &random)
            let scale = Int.random(in: 0...30, using: &random)
            let pad = Int.random(in: 0...2, using: &random)
            let isZero = digits.allSatisfy { $0 == 0 }
            let bytes = Self.twosComplement(magnitude: Self.magnitudeBytes(digits), negative: negative && !isZero, pad: pad)
            let actual = DecimalText.literal(twosComplement: bytes, scale: scale)
            let want = Self.expected(digits: digits, negative: negative, scale: scale)
            #expect(actual == want, "digits \(digits) negative \(negative) scale \(scale) bytes \(bytes)")
            if actual != want { return }
            // Through base64 and the converter too.
            let converted = try? ValueConverter.decimal(scale: scale).apply(
                .string(Base64.encode(bytes)), options: LogicalTypeOptions(), field: "d")
            #expect(converted == .number(JSONNumber(unchecked: want)))
        }
    }

    @Test("base64 decodes what it encodes, for every length")
    func base64RoundTrip() {
        var random = SeededGenerator(seed: 64)
        for length in 0..<70 {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &random) }
            #expect(Base64.decode(Base64.encode(bytes)) == bytes)
        }
        #expect(Base64.decode(UnavailableValue.base64Placeholder).map { String(decoding: $0, as: UTF8.self) } == UnavailableValue.placeholder)
        #expect(Base64.decode("AfM") == [0x01, 0xF3])  // unpadded
        #expect(Base64.decode("A") == nil)
        #expect(Base64.decode("AfM=x") == nil)
    }
}
