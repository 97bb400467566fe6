import Foundation

/// Reads the Debezium fixtures copied from ../shared/fixtures/debezium
/// (see Fixtures/debezium/SOURCES.md for where each message comes from).
enum Fixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/debezium")

    /// Fixture base names (without `.key.json` / `.value.json`), sorted.
    static var names: [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return Set(files.filter { $0.hasSuffix(".value.json") }.map { String($0.dropLast(".value.json".count)) }).sorted()
    }

    /// The value bytes, or `nil` for a tombstone fixture (a file holding `null`).
    static func value(_ name: String) throws -> [UInt8]? {
        let data = try Data(contentsOf: directory.appendingPathComponent("\(name).value.json"))
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text == "null" ? nil : [UInt8](data)
    }

    /// The key bytes, when the fixture has a key file.
    static func key(_ name: String) -> [UInt8]? {
        (try? Data(contentsOf: directory.appendingPathComponent("\(name).key.json"))).map { [UInt8]($0) }
    }
}
