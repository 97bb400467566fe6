import Foundation
import Testing

@testable import TributaryCore

/// Every Debezium sample under `Tests/TributaryCoreTests/Fixtures/debezium`
/// must parse, and must survive a write → parse round trip.
@Suite("JSON: Debezium fixtures")
struct DebeziumFixtureTests {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // JSON/
        .deletingLastPathComponent()  // TributaryCoreTests/
        .appendingPathComponent("Fixtures/debezium")

    static func fixtureNames() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".json") }.sorted()
    }

    static func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: directory.appendingPathComponent(name)))
    }

    @Test("the fixture folder is there and holds samples")
    func fixturesExist() {
        #expect(Self.fixtureNames().count >= 40)
    }

    @Test("each fixture parses and round-trips", arguments: fixtureNames())
    func parses(name: String) throws {
        let value = try JSONParser.parse(try Self.bytes(name))
        #expect(try JSONParser.parse(JSONWriter.encode(value)) == value)
        if name.hasSuffix(".value.json"), !value.isNull {
            #expect(value.objectValue != nil)
        }
    }

    @Test("known values of the products snapshot are read exactly")
    func productsSnapshot() throws {
        let value = try JSONParser.parse(try Self.bytes("postgres-products-snapshot-read-schema.value.json"))
        #expect(value["payload"]?["op"] == .string("r"))
        #expect(value["payload"]?["after"]?["id"]?.numberValue?.int64 != nil)
        #expect(value["schema"]?["type"] == .string("struct"))
    }

    @Test("tombstone fixtures are JSON null")
    func tombstones() throws {
        for name in Self.fixtureNames() where name.contains("tombstone") {
            #expect(try JSONParser.parse(try Self.bytes(name)) == .null)
        }
    }

    @Test("numbers agree with Foundation's JSONSerialization where it is exact")
    func agreesWithFoundation() throws {
        for name in Self.fixtureNames() {
            let bytes = try Self.bytes(name)
            let ours = try JSONParser.parse(bytes)
            let theirs = try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
            #expect(Self.sameShape(ours, theirs), "\(name)")
        }
    }

    /// Compares structure, strings, booleans and integer values (Foundation's
    /// number model differs, so only integers that fit Int64 are compared).
    private static func sameShape(_ ours: JSONValue, _ theirs: Any) -> Bool {
        switch ours {
        case .null: return theirs is NSNull
        case .bool(let flag): return (theirs as? NSNumber).map { $0.boolValue == flag } ?? false
        case .string(let string): return (theirs as? String) == string
        case .number(let number):
            guard let theirs = theirs as? NSNumber else { return false }
            if let integer = number.int64 { return theirs.int64Value == integer }
            return true
        case .array(let elements):
            guard let theirs = theirs as? [Any], theirs.count == elements.count else { return false }
            return zip(elements, theirs).allSatisfy { sameShape($0, $1) }
        case .object(let object):
            guard let theirs = theirs as? [String: Any] else { return false }
            return object.allSatisfy { member in theirs[member.key].map { sameShape(member.value, $0) } ?? false }
        }
    }
}
