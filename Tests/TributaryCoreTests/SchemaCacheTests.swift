import Testing
@testable import TributaryCore

@Suite("The schema-skipping fast path")
struct SchemaCacheTests {
    @Test("every fixture parses to the same value through the fast path, cold and warm", arguments: Fixtures.names)
    func sameAsFullParse(name: String) throws {
        let decoder = EnvelopeDecoder()
        for bytes in [try Fixtures.value(name), Fixtures.key(name)].compactMap({ $0 }) {
            let full = try JSONParser.parse(bytes)
            #expect(try decoder.parse(bytes) == full)
            #expect(try decoder.parse(bytes) == full, "a cached schema must give the same value")
        }
    }

    func message(schemaFields: String, payload: String) -> [UInt8] {
        Array(#"{"schema":{"type":"struct","fields":[\#(schemaFields)],"name":"t.Value"},"payload":\#(payload)}"#.utf8)
    }

    @Test("a schema change (a new column) is picked up with the first message that carries it")
    func schemaChange() throws {
        let decoder = EnvelopeDecoder()
        let v1 = message(schemaFields: #"{"type":"int32","field":"id"}"#, payload: #"{"id":1}"#)
        let v2 = message(
            schemaFields: #"{"type":"int32","field":"id"},{"type":"string","field":"email"}"#, payload: #"{"id":2,"email":"a@b"}"#)
        for _ in 0..<3 { _ = try decoder.parse(v1) }
        let second = try decoder.parse(v2)
        #expect(second["schema"]?["fields"]?.arrayValue?.count == 2)
        #expect(try decoder.parse(v1)["schema"]?["fields"]?.arrayValue?.count == 1)
        #expect(decoder.schemas.count == 2)
    }

    @Test("malformed input after a cached schema is still an error with its offset")
    func malformedAfterCachedSchema() throws {
        let decoder = EnvelopeDecoder()
        let good = message(schemaFields: #"{"type":"int32","field":"id"}"#, payload: #"{"id":1}"#)
        _ = try decoder.parse(good)
        for bad in [
            message(schemaFields: #"{"type":"int32","field":"id"}"#, payload: #"{"id":}"#),
            Array((String(decoding: good, as: UTF8.self) + "garbage").utf8),
            Array(String(decoding: good, as: UTF8.self).dropLast().utf8),
            message(schemaFields: #"{"type":"int32","field":"id"}"#, payload: "{\"id\":\"\u{1}\"}"),
        ] {
            #expect(throws: JSONParseError.self) { try decoder.parse(bad) }
        }
    }

    @Test("the row-plan cache finds plans for shared schemas without hashing them, and tells schemas apart")
    func planCache() throws {
        let decoder = EnvelopeDecoder()
        let cache = RowPlanCache()
        let a = try decoder.parse(message(schemaFields: #"{"type":"int32","field":"d","name":"io.debezium.time.Date"}"#, payload: #"{"d":1}"#))
        let b = try decoder.parse(message(schemaFields: #"{"type":"int32","field":"d"}"#, payload: #"{"d":1}"#))
        let schemaA = try #require(a["schema"]?.objectValue)
        let schemaB = try #require(b["schema"]?.objectValue)
        #expect(!cache.plan(for: schemaA).isEmpty)
        #expect(cache.plan(for: schemaB).isEmpty)
        #expect(!cache.plan(for: schemaA).isEmpty)
        #expect(schemaA.sharesStorage(with: try #require(try decoder.parse(message(
            schemaFields: #"{"type":"int32","field":"d","name":"io.debezium.time.Date"}"#, payload: #"{"d":9}"#))["schema"]?.objectValue)))
    }

    @Test("the envelope row-plan memo gives each envelope schema its own row's plan")
    func envelopePlanMemo() throws {
        let cache = RowPlanCache()
        func envelope(_ fields: String) throws -> JSONObject {
            let row = #"{"type":"struct","fields":[\#(fields)],"optional":true,"field":"ROW"}"#
            let text = #"{"type":"struct","fields":[\#(row.replacing("ROW", with: "before")),\#(row.replacing("ROW", with: "after")),"#
                + #"{"type":"string","optional":false,"field":"op"}],"name":"t.Envelope"}"#
            return try #require(try JSONParser.parse(Array(text.utf8)).objectValue)
        }
        let dated = try envelope(#"{"type":"int32","field":"d","name":"io.debezium.time.Date"}"#)
        let plain = try envelope(#"{"type":"int32","field":"d"}"#)
        // Alternating schemas, each asked twice in a row: never the other's plan.
        for _ in 0..<3 {
            #expect(cache.plan(forField: "after", of: dated)?.entries.map(\.name) == ["d"])
            #expect(cache.plan(forField: "after", of: dated)?.entries.map(\.name) == ["d"])
            #expect(cache.plan(forField: "after", of: plain)?.isEmpty == true)
            #expect(cache.plan(forField: "after", of: plain)?.isEmpty == true)
        }
        // The field is part of the memo's key; a field without a struct schema has no plan.
        #expect(cache.plan(forField: "before", of: dated)?.entries.map(\.name) == ["d"])
        #expect(cache.plan(forField: "op", of: dated) == nil)
        #expect(cache.plan(forField: "after", of: dated)?.entries.map(\.name) == ["d"])
        #expect(cache.plan(forField: "after", of: JSONObject()) == nil)
    }
}
