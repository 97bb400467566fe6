import Foundation
import Testing
@testable import TributaryCore

/// Routes every fixture in Fixtures/debezium and compares the result with
/// Fixtures/golden/NAME.txt (the bulk NDJSON, a skip reason, or the error).
///
/// Set TRIBUTARY_UPDATE_GOLDEN=1 to rewrite the golden files; review the diff
/// by hand against the source message before committing it.
@Suite("Golden routing of every Debezium fixture")
struct GoldenFixtureTests {
    static let goldenDirectory = Fixtures.directory.deletingLastPathComponent().appendingPathComponent("golden")

    /// A record key for fixtures that come without one: the row's first column
    /// (the primary key in every fixture). For a MongoDB row (an Extended-JSON
    /// string) the key is what the connector writes: `{"id": "<_id as Extended JSON>"}`.
    static func key(for name: String, value: [UInt8]?) -> [UInt8]? {
        if let key = Fixtures.key(name) { return key }
        guard let value, let json = try? JSONParser.parse(value) else { return nil }
        let payload = json["payload"] ?? json
        for row in ["after", "before"] {
            if let text = payload[row]?.stringValue, let document = try? JSONParser.parse(text), let id = document["_id"] {
                return JSONWriter.encode(.object(["id": .string(id.description)]))
            }
            if let first = payload[row]?.objectValue?.members.first {
                return JSONWriter.encode(.object(JSONObject([first])))
            }
        }
        if let first = payload.objectValue?.members.first, payload["op"] == nil {
            return JSONWriter.encode(.object(JSONObject([first])))  // a flattened row
        }
        return nil
    }

    static func render(_ name: String, router: DocumentRouter) -> String {
        do {
            let value = try Fixtures.value(name)
            switch try router.route(topic: "server1.schema1.\(name.split(separator: "-")[1])", offset: 17, key: key(for: name, value: value), value: value) {
            case .write(let item): return String(decoding: item.bytes, as: UTF8.self)
            case .skip(let reason): return "skip: \(reason.rawValue)\n"
            case .deleteAll(let index): return "delete-all: \(index)\n"
            }
        } catch let error as DecodeError {
            return "poison: \(error)\n"
        } catch {
            return "error: \(error)\n"
        }
    }

    @Test("every fixture routes exactly as its golden file says", arguments: Fixtures.names)
    func golden(name: String) throws {
        let actual = Self.render(name, router: DocumentRouter(versionSource: .auto))
        let file = Self.goldenDirectory.appendingPathComponent("\(name).txt")
        if ProcessInfo.processInfo.environment["TRIBUTARY_UPDATE_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: Self.goldenDirectory, withIntermediateDirectories: true)
            try Data(actual.utf8).write(to: file)
        }
        let expected = try String(contentsOf: file, encoding: .utf8)
        #expect(actual == expected)
    }

    @Test("there is a fixture for every golden file and the set is not empty")
    func coverage() throws {
        #expect(Fixtures.names.count >= 40)
        let golden = try FileManager.default.contentsOfDirectory(atPath: Self.goldenDirectory.path).filter { $0.hasSuffix(".txt") }
        #expect(golden.count == Fixtures.names.count)
    }
}
