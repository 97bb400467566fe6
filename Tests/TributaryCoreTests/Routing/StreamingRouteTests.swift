import Testing

@testable import TributaryCore

/// The streaming route must give exactly the general path's decision (the
/// same bulk bytes) or step aside (`nil`); it must never accept a record the
/// general path rejects.
@Suite("The streaming route agrees with the general path")
struct StreamingRouteTests {
    /// Router settings the streaming route supports, and some it must decline.
    static let routers: [(name: String, router: DocumentRouter)] = [
        ("default", DocumentRouter()),
        ("metadata", DocumentRouter(mapping: DocumentMapping(metadataFields: [.op, .lsn, .sourceTimestamp, .timestamp, .table, .version]))),
        ("soft delete, decimal strings, pipeline", DocumentRouter(
            pipeline: "p1", mapping: DocumentMapping(logicalTypes: LogicalTypeOptions(decimalFormat: .string)), deleteMode: .soft)),
        ("offset versions, templated index", DocumentRouter(
            indexName: (try? IndexNameTemplate(parsing: "cdc-${topic}")) ?? .tableOrTopic, versionSource: .kafkaOffset)),
        ("unversioned", DocumentRouter(versionSource: .none)),
        ("renaming (declines)", DocumentRouter(mapping: DocumentMapping(rename: ["id": "pk"]))),
        ("column versions (declines)", DocumentRouter(versionSource: .field("id"))),
    ]

    /// Checks the contract for one record; returns whether it streamed.
    @discardableResult
    static func check(_ router: DocumentRouter, key: [UInt8]?, value: [UInt8], topic: String = "pg.public.products",
                      sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        let general = Result { () throws(DecodeError) in try router.routeGeneral(topic: topic, offset: 9, key: key, value: value) }
        let streamed = router.streamingEligible ? router.routeStreaming(topic: topic, offset: 9, key: key, value: value) : nil
        guard let streamed else { return false }
        guard case .success(let expected) = general else {
            Issue.record("streamed a record the general path rejects: \(String(decoding: value, as: UTF8.self))", sourceLocation: sourceLocation)
            return true
        }
        if streamed != expected, case .write(let a) = streamed, case .write(let b) = expected {
            Issue.record("streamed\n\(String(decoding: a.bytes, as: UTF8.self))general\n\(String(decoding: b.bytes, as: UTF8.self))",
                         sourceLocation: sourceLocation)
        }
        #expect(streamed == expected, sourceLocation: sourceLocation)
        return true
    }

    @Test("routing a value in place decides exactly as routing its copy", arguments: routers.indices)
    func inPlace(router index: Int) throws {
        let router = Self.routers[index].router
        func decide(_ key: [UInt8]?, _ value: [UInt8]?, inPlace: Bool) -> Result<DocumentRouter.Decision, DecodeError> {
            func route(_ keyBytes: UnsafeRawBufferPointer?, _ raw: UnsafeRawBufferPointer?) -> Result<DocumentRouter.Decision, DecodeError> {
                Result { () throws(DecodeError) in
                    try router.route(topic: "pg.public.products", offset: 3, keyBytes: keyBytes, valueBytes: raw)
                }
            }
            guard inPlace else {
                return Result { () throws(DecodeError) in try router.route(topic: "pg.public.products", offset: 3, key: key, value: value) }
            }
            func withBytes<T>(_ bytes: [UInt8]?, _ body: (UnsafeRawBufferPointer?) -> T) -> T {
                guard let bytes else { return body(nil) }
                return bytes.withUnsafeBytes { body($0) }
            }
            return withBytes(key) { keyBytes in withBytes(value) { route(keyBytes, $0) } }
        }
        var values: [(key: [UInt8]?, value: [UInt8]?)] = [(Array(#"{"id":1}"#.utf8), nil), (nil, nil), (nil, []), (nil, Array("{".utf8))]
        for name in Fixtures.names {
            guard let value = try Fixtures.value(name) else { continue }
            values.append((GoldenFixtureTests.key(for: name, value: value), value))
        }
        for (key, value) in values {
            let copied = decide(key, value, inPlace: false)
            let inPlace = decide(key, value, inPlace: true)
            switch (copied, inPlace) {
            case (.success(let a), .success(let b)): #expect(a == b)
            case (.failure(let a), .failure(let b)): #expect(a.code == b.code && a.message == b.message)
            default: Issue.record("in place \(inPlace), copied \(copied) for \(String(decoding: value ?? [], as: UTF8.self).prefix(200))")
            }
        }
    }

    @Test("every fixture under every router setting", arguments: routers.indices)
    func fixtures(router index: Int) throws {
        let router = Self.routers[index].router
        var streamed: [String] = []
        for name in Fixtures.names {
            guard let value = try Fixtures.value(name) else { continue }
            let key = GoldenFixtureTests.key(for: name, value: value)
            if Self.check(router, key: key, value: value, topic: "server1.schema1.\(name.split(separator: "-")[1])") {
                streamed.append(name)
            }
        }
        if Self.routers[index].name.hasSuffix("(declines)") {
            #expect(streamed.isEmpty)
        } else {
            // Inserts, snapshot reads and updates of PostgreSQL, MySQL and
            // SQL-style envelopes, with and without schemas, stream.
            #expect(streamed.count >= 14, "\(streamed)")
            #expect(streamed.contains("postgres-products-create-schema"))
            #expect(streamed.contains("postgres-film-snapshot-read-decimal-enum-array-schema"))
            #expect(streamed.contains("mysql-customers-update-noschema-dbz-examples"))
            #expect(!streamed.contains { $0.contains("mongodb") || $0.contains("flattened") })
            // Hard deletes stream; soft ones (a document of the key's columns) take the general path.
            if router.deleteMode == .soft {
                #expect(!streamed.contains { $0.contains("delete") })
            } else {
                #expect(streamed.contains("postgres-products-delete-replica-full-schema"))
                #expect(streamed.contains("postgres-film_actor-delete-compositekey-schema"))
                #expect(streamed.contains("mysql-customers-delete-schema"))
            }
        }
    }

    static let key = Array(#"{"schema":{"type":"struct","fields":[{"type":"int32","optional":false,"field":"id"}],"optional":false,"name":"k"},"payload":{"id":7}}"#.utf8)

    /// A products change like the benchmark's, with `row` as the `after`
    /// image (`nil`: no `after` member).
    static func event(row: String?, op: String = "u", extra: String = "", source: String = Self.source) -> [UInt8] {
        let schema = #"{"type":"struct","fields":[{"type":"struct","fields":[{"type":"int32","optional":false,"field":"id"},{"type":"string","optional":true,"field":"name"},{"type":"bytes","optional":true,"name":"org.apache.kafka.connect.data.Decimal","version":1,"parameters":{"scale":"2"},"field":"price"},{"type":"double","optional":true,"field":"weight"},{"type":"int32","optional":true,"name":"io.debezium.time.Date","version":1,"field":"release_date"},{"type":"int64","optional":true,"name":"io.debezium.time.MicroTimestamp","version":1,"field":"updated_at"},{"type":"string","optional":true,"name":"io.debezium.data.Json","version":1,"field":"attributes"},{"type":"array","items":{"type":"string"},"optional":true,"field":"tags"},{"type":"int64","optional":true,"name":"io.debezium.time.MicroTime","version":1,"field":"opens"},{"type":"bytes","optional":true,"name":"org.apache.kafka.connect.data.Decimal","version":1,"parameters":{"scale":"-2"},"field":"rounded"}],"optional":true,"name":"v","field":"after"},{"type":"struct","fields":[],"optional":false,"field":"source"},{"type":"string","optional":false,"field":"op"},{"type":"int64","optional":true,"field":"ts_ms"}],"optional":false,"name":"e"}"#
        return Array(#"{"schema":\#(schema),"payload":{"before":null,\#(row.map { #""after":\#($0),"# } ?? "")"source":\#(source),"op":"\#(op)","ts_ms":1700000000456\#(extra)}}"#.utf8)
    }

    static let source = #"{"version":"2.5.0.Final","connector":"postgresql","name":"pg","ts_ms":1700000000123,"db":"shop","schema":"public","table":"products","lsn":24023128}"#

    static let row = #"{"id":7,"name":"Lamp \u00e9 \"x\"","price":"AdTA","weight":1.5e0,"release_date":19279,"updated_at":1665791731989360,"attributes":"{\"color\": \"red\", \"n\": [1, 2.50]}","tags":["a","b"]}"#

    /// The action line is moved into room left in front of the row; lines
    /// of every length around that room (short, exactly filling it, longer,
    /// which move the row instead) give the general path's bytes.
    @Test("action lines shorter than, as long as, and longer than the room in front of the row")
    func actionLineLengths() throws {
        let room = DocumentRouter.actionLineRoom
        var lengths = Set<Int>()
        for extra in 0...(room + 20) {
            let router = DocumentRouter(pipeline: extra == 0 ? nil : String(repeating: "p", count: extra))
            guard case .write(let item)? = router.routeStreaming(topic: "pg.public.products", offset: 9, key: Self.key, value: Self.event(row: Self.row))
            else {
                Issue.record("did not stream with a pipeline name of \(extra) bytes")
                continue
            }
            let line = try #require(item.bytes.firstIndex(of: UInt8(ascii: "\n")))
            lengths.insert(line - item.bytes.startIndex + 1)
            #expect(Self.check(router, key: Self.key, value: Self.event(row: Self.row)))
        }
        #expect(lengths.contains(room) && lengths.contains { $0 < room } && lengths.contains { $0 > room })
    }

    @Test("rows with escapes, whitespace, reordered or missing columns, nested values")
    func rowShapes() {
        let rows = [
            Self.row,
            #"{"id":7,"name":"plain","price":null,"weight":-0.25,"release_date":-1,"updated_at":0,"attributes":null,"tags":[]}"#,
            #"{ "id" : 7 ,\#t"name" : "spaced" , "price" : "/w==" , "weight":1E-7 ,"release_date":"2020-01-01","tags":[ "x" , "y" ] }"#,
            #"{"tags":["z"],"updated_at":1,"id":7,"price":"AA==","name":"reordered"}"#,
            #"{"id":7,"extra":{"nested":{"a":[1,{"b":null}]}},"name":"日本 😀"}"#,
            #"{}"#,
            #"{"id":7,"name":"\/slash\u0041\n"}"#,
            // Json columns: embedded escapes, whitespace, astral escapes, text that is not JSON.
            #"{"id":7,"attributes":"{ \"q\" : \"say \\\"hi\\\" \\u00e9 \\ud83d\\ude00\" , \"n\" : [ 1 , -0.5e+3 , true , null ] }"}"#,
            #"{"id":7,"attributes":"not json"}"#,
            #"{"id":7,"attributes":"{\"open\": "}"#,
            #"{"id":7,"attributes":""}"#,
            #"{"id":7,"attributes":"  42  "}"#,
            #"{"id":7,"attributes":"\"just a string\""}"#,
            #"{"id":7,"attributes":{"already":"an object"}}"#,
            #"{"id":7,"tags":["\u005f_debezium_unavailable", "x"]}"#,
            #"{"id":7,"tags":[1,"__debezium_unavailable_value"]}"#,
        ]
        for router in Self.routers.map(\.router).filter(\.streamingEligible) {
            for row in rows {
                #expect(Self.check(router, key: Self.key, value: Self.event(row: row)), "\(row)")
            }
            #expect(Self.check(router, key: Self.key, value: Self.event(row: Self.row, op: "c", extra: #","transaction":{"id":"5:9","total_order":1}"#)))
            #expect(Self.check(router, key: Self.key, value: Self.event(row: Self.row, op: "r")))
        }
    }

    @Test("random logical values convert exactly as the general converters do")
    func scalars() {
        var generator = SeededGenerator(seed: 0x5EED_0200)
        let integers: [String] = ["0", "-0", "1", "-1", "86400000000", "86400000001", "-86400000000", "9223372036854775807",
                                  "-9223372036854775808", "9223372036854775808", "1000000000000", "-1000000000001", "1.0", "2e3"]
        var streamed = 0
        for round in 0..<3_000 {
            let length = Int.random(in: 0...11, using: &generator)
            let price = Base64.encode((0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) })
            func number() -> String {
                round % 3 == 0 ? (integers.randomElement(using: &generator) ?? "0")
                    : String(Int64.random(in: Int64.min...Int64.max, using: &generator) >> UInt64.random(in: 0...62, using: &generator))
            }
            let row = #"{"id":7,"price":"\#(price)","rounded":"\#(price)","release_date":\#(number()),"updated_at":\#(number()),"opens":\#(number())}"#
            for router in Self.routers.map(\.router).filter(\.streamingEligible) {
                if Self.check(router, key: Self.key, value: Self.event(row: row)) { streamed += 1 }
            }
        }
        #expect(streamed > 2_000, "only \(streamed) rows streamed")
    }

    @Test("records the general path treats specially step aside")
    func declines() {
        let router = DocumentRouter()
        let declined: [[UInt8]] = [
            Self.event(row: #"{"id":7,"name":"__debezium_unavailable_value"}"#),  // TOAST
            Self.event(row: #"{"id":7,"tags":["__debezium_unavailable_value"]}"#),
            Self.event(row: #"{"id":7,"attributes":"__debezium_unavailable_value"}"#),
            Self.event(row: #"{"id":7,"name":"\u005f_debezium_unavailable_value"}"#),
            Self.event(row: #"{"id":7,"tags":["a", "__debezium\u005funavailable_value"]}"#),
            Self.event(row: #"{"id":7,"attributes":"\u005f_debezium_unavailable_value"}"#),
            Self.event(row: #"{"id":7,"_id":"x"}"#),  // a reserved name
            Self.event(row: #"{"id":7,"price":"AdTA","price":"AdTA"}"#),  // a converted column twice
            Self.event(row: #"{"id":7,"na\u006de":"x"}"#),  // an escaped column name
            Self.event(row: #"{"id":7}"#, op: "d"),  // a delete with an `after` row
            Self.event(row: "null"),  // an update without one
            Self.event(row: nil, op: "c"),
            Self.event(row: #"{"id":7}"#, extra: #","__deleted":"false""#),
            Self.event(row: #"{"id":7,"price":"not base64!"}"#),  // a converter error: the general path reports it
            Self.event(row: #"{"id":7,"release_date":1.5}"#),
        ]
        for value in declined {
            #expect(router.routeStreaming(topic: "t", offset: 1, key: Self.key, value: value) == nil, "\(String(decoding: value, as: UTF8.self))")
        }
        #expect(router.routeStreaming(topic: "t", offset: 1, key: nil, value: Self.event(row: Self.row)) == nil)
    }

    /// Routers whose index and version the streaming route reads from the
    /// source block's bytes when it can (`commonTarget`).
    static let sourceRouters: [DocumentRouter] = [
        DocumentRouter(), DocumentRouter(versionSource: .sourceLSN), DocumentRouter(versionSource: .kafkaOffset),
        DocumentRouter(versionSource: .none), DocumentRouter(topicIndexMap: ["pg.public.products": "mapped"]),
        DocumentRouter(indexName: (try? IndexNameTemplate(parsing: "${source.db}-${source.table}")) ?? .tableOrTopic),
        DocumentRouter(deleteMode: .soft),
    ]

    @Test("source blocks of every shape decide as the general path, under every version and index setting")
    func sourceShapes() {
        let sources = [
            Self.source,
            #"{"connector":"postgresql","table":"Products","lsn":0}"#,  // upper case, lsn 0
            #"{"lsn":5,"table":"t","connector":"postgresql","lsn":6,"table":"u"}"#,  // duplicates: the last counts
            #"{"connector":"postgresql","table":"t","lsn":-0}"#,
            #"{"connector":"postgresql","table":"t","lsn":-1}"#,
            #"{"connector":"postgresql","table":"t","lsn":1.0}"#,
            #"{"connector":"postgresql","table":"t","lsn":2e3}"#,
            #"{"connector":"postgresql","table":"t","lsn":"7"}"#,
            #"{"connector":"postgresql","table":"t","lsn":null}"#,
            #"{"connector":"postgresql","table":"t","lsn":9223372036854775808}"#,
            #"{"connector":"postgresql","table":"t"}"#,
            #"{"connector":"postgresq\u006c","table":"t","lsn":3}"#,  // an escaped connector
            #"{"connector":"postgresql","table":"\u0074","lsn":3}"#,  // an escaped table
            #"{"connector":"postgresql","table":"","lsn":3}"#,
            #"{"connector":"postgresql","table":null,"collection":"c","lsn":3}"#,
            #"{"connector":"postgresql","collection":"c","lsn":3}"#,
            #"{"connector":"postgresql","table":"bad*name","lsn":3}"#,
            #"{"connector":"postgresql","table":"_bad","lsn":3}"#,
            #"{"connector":"mongodb","collection":"c","ts_ms":1,"ord":2}"#,
            #"{"connector":"mongodb","table":"t","lsn":3}"#,
            #"{"connector":"mysql","table":"t","file":"mysql-bin.000003","pos":4,"row":1}"#,
            #"{"connector":7,"table":"t","lsn":3}"#,
            #"{"table":"t","lsn":3}"#,  // no connector: auto finds the lsn
            #"{"connector":"other","table":"t","ts_ms":12}"#,
            #"{"connector":"postgresql","db":"d","table":"t","lsn":3}"#,
            #"{ "connector" : "postgresql" , "table" : "t" , "lsn" : 3 , "extra" : { "lsn" : 4 } }"#,
            #"{}"#,
        ]
        var streamed = 0
        for router in Self.sourceRouters {
            for source in sources {
                // An update, and a delete (`after` null, and absent).
                let values = [
                    Self.event(row: Self.row, source: source), Self.event(row: "null", op: "d", source: source),
                    Self.event(row: nil, op: "d", source: source),
                ]
                for value in values where Self.check(router, key: Self.key, value: value) { streamed += 1 }
            }
        }
        // The fast reads must run, not only the general fallback.
        #expect(streamed > 200, "only \(streamed) records streamed")
    }

    @Test("random byte mutations of the source block never make the routes disagree")
    func sourceMutations() {
        var generator = SeededGenerator(seed: 0x5EED_0101)
        let alphabet = Array(#"{}[]",:\u0\/ -+.eE1tfn7_"#.utf8) + [0x00, 0x1F, 0x80, 0xC3, 0xFF]
        let seeds = [Self.source, #"{"connector":"postgresql","table":"t","lsn":3,"ts_ms":4}"#].map { Array($0.utf8) }
        var streamed = 0
        for round in 0..<6_000 {
            var source = seeds[round % seeds.count]
            source.mutate(from: alphabet, using: &generator)
            let router = Self.sourceRouters[round % Self.sourceRouters.count]
            if Self.check(router, key: Self.key, value: Self.event(row: Self.row, source: String(decoding: source, as: UTF8.self))) {
                streamed += 1
            }
        }
        #expect(streamed > 1_000, "only \(streamed) mutated records streamed")
    }

    @Test("random byte mutations never make the routes disagree")
    func mutations() throws {
        var generator = SeededGenerator(seed: 0x5EED_0100)
        let seeds = [Self.event(row: Self.row)]
            + (try ["postgres-products-create-schema", "postgres-film-snapshot-read-decimal-enum-array-schema",
                    "mysql-customers-update-noschema-dbz-examples", "postgres-products-delete-replica-full-schema",
                    ].compactMap { try Fixtures.value($0) })
        let alphabet = Array(#"{}[]",:\u0\/ -+.eE1tfnA_"#.utf8) + [0x00, 0x1F, 0x80, 0xC3, 0xFF]
        let router = DocumentRouter(mapping: DocumentMapping(metadataFields: [.op, .lsn]))
        var streamed = 0
        for round in 0..<6_000 {
            var bytes = seeds[round % seeds.count]
            bytes.mutate(from: alphabet, using: &generator)
            let key = round % seeds.count == 0 ? Self.key : Array(#"{"id":1001}"#.utf8)
            if Self.check(router, key: key, value: bytes) { streamed += 1 }
        }
        #expect(streamed > 1_000, "only \(streamed) mutated records streamed")
    }
}
