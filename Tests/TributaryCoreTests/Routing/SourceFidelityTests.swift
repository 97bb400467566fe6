import Testing
@testable import TributaryCore

/// MongoDB, flattened rows, composite keys and per-source versions.
@Suite("Debezium source fidelity")
struct SourceFidelityTests {
    func text(_ item: BulkItem) -> String { String(decoding: item.bytes, as: UTF8.self) }

    func write(_ decision: DocumentRouter.Decision) throws -> BulkItem {
        guard case .write(let item) = decision else {
            Issue.record("expected a write, got \(decision)")
            throw DecodeError(.missingRow, "no write")
        }
        return item
    }

    func route(_ router: DocumentRouter = DocumentRouter(), topic: String = "a.b.t", key: String?, value: String) throws -> BulkItem {
        try write(router.route(topic: topic, offset: 9, key: key.map { Array($0.utf8) }, value: Array(value.utf8)))
    }

    // MARK: MongoDB

    @Test("MongoDB: the key's ObjectId becomes the hex id; the delete is versioned by oplog time")
    func mongoObjectIDKey() throws {
        let item = try write(
            DocumentRouter().route(
                topic: "RW_CDC_3001.dev.test", offset: 0, key: Fixtures.key("mongodb-test-delete-schemanull"),
                value: try Fixtures.value("mongodb-test-delete-schemanull")))
        #expect(item.action == .delete)
        #expect(item.id == "65bc9fb6c485f419a7a877fe")
        #expect(item.index == "test")  // source.collection
        let expected: Int64 = (1_706_968_217 << 31) | 2  // ts_ms 1706968217000 in seconds, ord 2
        #expect(item.version == expected)
        #expect(item.versionType == .externalGTE)
    }

    @Test("MongoDB: Extended JSON becomes plain JSON and _id leaves the body (or is renamed)")
    func mongoExtendedJSON() throws {
        let after = #"{\"_id\": {\"$oid\": \"65bc9fb6c485f419a7a877fe\"}, \"n\": {\"$numberLong\": \"9007199254740993\"}, \"i\": {\"$numberInt\": \"7\"}, \"d\": {\"$numberDouble\": \"1.5\"}, \"nan\": {\"$numberDouble\": \"NaN\"}, \"dec\": {\"$numberDecimal\": \"12.30\"}, \"at\": {\"$date\": {\"$numberLong\": \"1706968217377\"}}, \"iso\": {\"$date\": \"2024-02-03T13:50:17Z\"}, \"bin\": {\"$binary\": {\"base64\": \"AQI=\", \"subType\": \"00\"}}, \"uuid\": {\"$binary\": {\"base64\": \"YPFP4vhXQEq1hjtTdbMlnw==\", \"subType\": \"04\"}}, \"ts\": {\"$timestamp\": {\"t\": 1706968217, \"i\": 2}}, \"nested\": [{\"x\": {\"$numberLong\": \"1\"}}]}"#
        let value = #"{"after":"\#(after)","source":{"connector":"mongodb","ts_ms":1706968217000,"ord":3,"db":"dev","collection":"things"},"op":"c"}"#
        let key = #"{"id":"{\"$oid\": \"65bc9fb6c485f419a7a877fe\"}"}"#
        let item = try route(key: key, value: value)
        #expect(item.id == "65bc9fb6c485f419a7a877fe")
        #expect(item.index == "things")
        #expect(text(item).split(separator: "\n").last == #"{"n":9007199254740993,"i":7,"d":1.5,"nan":"NaN","dec":12.30,"at":"2024-02-03T13:50:17.377Z","iso":"2024-02-03T13:50:17Z","bin":"AQI=","uuid":"60f14fe2-f857-404a-b586-3b5375b3259f","ts":{"t":1706968217,"i":2},"nested":[{"x":1}]}"#)

        let renaming = DocumentRouter(mapping: DocumentMapping(rename: ["_id": "mongo_id"]))
        let renamed = try route(renaming, key: key, value: value)
        #expect(text(renamed).split(separator: "\n").last?.hasPrefix(#"{"mongo_id":"65bc9fb6c485f419a7a877fe","n":"#) == true)
        // Key forms: a string _id and a numberLong _id.
        #expect(MongoExtendedJSON.documentID(fromKeyText: #""abc""#) == "abc")
        #expect(MongoExtendedJSON.documentID(fromKeyText: #"{"$numberLong": "1001"}"#) == "1001")
        #expect(MongoExtendedJSON.documentID(fromKeyText: #"{"a": 1, "b": {"$oid": "ff"}}"#) == #"{"a":1,"b":"ff"}"#)
    }

    // MARK: Flattened rows

    @Test("flattened: __deleted 'true' or __op 'd' deletes; metadata is stripped or kept; __lsn versions")
    func flattened() throws {
        let create = #"{"id":7,"name":"x","__op":"c","__lsn":123,"__source_ts_ms":1700000000000,"__table":"orders","__db":"shop","__deleted":"false"}"#
        let item = try route(topic: "pg.public.x", key: #"{"id":7}"#, value: create)
        #expect(text(item) == #"{"index":{"_index":"orders","_id":"7","version":123,"version_type":"external"}}"# + "\n" + #"{"id":7,"name":"x"}"# + "\n")

        let keeping = DocumentRouter(mapping: DocumentMapping(keepFlattenedMetadata: true))
        #expect(text(try route(keeping, key: #"{"id":7}"#, value: create)).hasSuffix(
            #"{"id":7,"name":"x","__op":"c","__lsn":123,"__source_ts_ms":1700000000000,"__table":"orders","__db":"shop","__deleted":"false"}"# + "\n"))

        let rewritten = #"{"id":7,"name":"x","__lsn":130,"__deleted":"true"}"#
        let delete = try route(key: #"{"id":7}"#, value: rewritten)
        #expect(text(delete) == #"{"delete":{"_index":"t","_id":"7","version":130,"version_type":"external"}}"# + "\n")
        let opDelete = try route(key: #"{"id":7}"#, value: #"{"id":7,"__op":"d","__source_ts_ms":5}"#)
        #expect(opDelete.action == .delete && opDelete.version == 5 && opDelete.versionType == .externalGTE)

        // A plain row without markers is an error unless value.format=flattened.
        let bare = #"{"id":7,"name":"x"}"#
        #expect(throws: DecodeError.self) { try DocumentRouter().route(topic: "t", offset: 0, key: Array(#"{"id":7}"#.utf8), value: Array(bare.utf8)) }
        let flat = DocumentRouter(decoder: EnvelopeDecoder(format: .flattened))
        let unversioned = try route(flat, key: #"{"id":7}"#, value: bare)
        #expect(text(unversioned) == #"{"index":{"_index":"t","_id":"7"}}"# + "\n" + bare + "\n")
    }

    @Test("the flattened fixture with schema decodes its Decimal and MicroTimestamp")
    func flattenedFixture() throws {
        let item = try write(
            DocumentRouter().route(
                topic: "postgres.public.orders", offset: 0, key: Array(#"{"order_id":1}"#.utf8),
                value: try Fixtures.value("postgres-orders-snapshot-flattened-unwrap-schema")))
        #expect(text(item).hasSuffix(#""price":1200.00,"order_date":"2026-01-05T10:47:58.945635Z","status":"COMPLETED"}"# + "\n"))
        #expect(!text(item).contains("__deleted"))
    }

    // MARK: Keys

    @Test("composite keys: default | and a custom key.delimiter, with escaping")
    func compositeKeys() throws {
        let key = try #require(try RecordKey.decode(Array(#"{"actor_id":1,"film_id":23}"#.utf8)))
        #expect(try DocumentID.make(from: key) == "1|23")
        #expect(try DocumentID.make(from: key, delimiter: "::") == "1::23")
        let awkward = try #require(try RecordKey.decode(Array(#"{"a":"x::y","b":"p\\q"}"#.utf8)))
        #expect(try DocumentID.make(from: awkward, delimiter: "::") == #"x\::y::p\\q"#)
        let router = DocumentRouter(mapping: DocumentMapping(keyDelimiter: "-"))
        let item = try write(
            router.route(
                topic: "x.public.film_actor", offset: 0, key: Fixtures.key("postgres-film_actor-delete-compositekey-schema"),
                value: try Fixtures.value("postgres-film_actor-delete-compositekey-schema")))
        #expect(item.id == "1-23")
    }

    @Test("a Decimal key column is converted by the key schema")
    func decimalKey() throws {
        let key = #"{"schema":{"type":"struct","fields":[{"type":"bytes","name":"org.apache.kafka.connect.data.Decimal","parameters":{"scale":"2"},"field":"code"}]},"payload":{"code":"AdTA"}}"#
        let value = #"{"op":"c","after":{"code":"AdTA"},"source":{"connector":"postgresql","lsn":5}}"#
        #expect(try route(key: key, value: value).id == "1200.00")
    }

    // MARK: Versions

    @Test("version packing: MySQL binlog, SQL Server LSN, Oracle SCN, ts_ms and field")
    func versions() throws {
        func event(_ connector: String?, _ source: JSONObject, after: JSONObject? = ["id": .number(JSONNumber(1))]) -> ChangeEvent {
            var source = source
            if let connector { source["connector"] = .string(connector) }
            return ChangeEvent(operation: .update, after: after, source: source)
        }
        let mysql = event("mysql", ["file": .string("mysql-bin.000003"), "pos": .number(JSONNumber(154)), "row": .number(JSONNumber(2))])
        #expect(try VersionSource.auto.externalVersion(of: mysql, offset: 0) == ExternalVersion(3 << 43 | 154 << 9 | 2, .external))
        #expect(try MySQLBinlogPosition.pack(file: 3, position: 154, row: 9999) == 3 << 43 | 154 << 9 | 511)
        #expect(throws: DecodeError.self) { try MySQLBinlogPosition.pack(file: 1 << 20, position: 0, row: 0) }
        // Ordered: later file beats any position of an earlier file.
        #expect(try MySQLBinlogPosition.pack(file: 4, position: 4, row: 0) > MySQLBinlogPosition.pack(file: 3, position: (1 << 34) - 1, row: 511))

        let sqlserver = event("sqlserver", ["commit_lsn": .string("0000002d:00000670:0003"), "change_lsn": .string("0000002d:00000668:0002")])
        #expect(try VersionSource.auto.externalVersion(of: sqlserver, offset: 0) == ExternalVersion(0x2d << 36 | 0x670 << 12 | 3, .externalGTE))
        #expect(SQLServerLSN.pack("0000002e:00000001:0001")! > SQLServerLSN.pack("0000002d:00ffffff:0fff")!)
        #expect(SQLServerLSN.pack("0000002d:01000000:0001") == nil)

        let oracle = event("oracle", ["scn": .string("2314567"), "commit_scn": .string("2314570")])
        #expect(try VersionSource.auto.externalVersion(of: oracle, offset: 0) == ExternalVersion(2_314_570, .externalGTE))
        let db2 = event("db2", ["ts_ms": .number(JSONNumber(1_700_000_000_123))])
        #expect(try VersionSource.auto.externalVersion(of: db2, offset: 0) == ExternalVersion(1_700_000_000_123, .externalGTE))
        let postgres = event("postgresql", ["lsn": .number(JSONNumber(34_078_720))])
        #expect(try VersionSource.auto.externalVersion(of: postgres, offset: 0) == ExternalVersion(34_078_720, .external))
        #expect(try VersionSource.auto.externalVersion(of: event(nil, [:]), offset: 0) == nil)
        #expect(try VersionSource.kafkaOffset.externalVersion(of: postgres, offset: 42) == ExternalVersion(42, .external))

        let counted = event("postgresql", ["lsn": .number(JSONNumber(1))], after: ["id": .number(JSONNumber(1)), "row_version": .number(JSONNumber(17))])
        #expect(try VersionSource(parsing: "field:row_version").externalVersion(of: counted, offset: 0) == ExternalVersion(17, .externalGTE))
        #expect(throws: DecodeError.self) { try VersionSource.field("nope").externalVersion(of: counted, offset: 0) }
        #expect(throws: ConfigError.self) { try VersionSource(parsing: "field:") }
        for spelling in ["auto", "source.lsn", "binlog", "commit_lsn", "scn", "oplog", "ts_ms", "kafka.offset", "none", "field:v"] {
            #expect(try VersionSource(parsing: spelling).name == spelling)
        }
    }

    @Test("external_gte lands in the action line")
    func gteActionLine() throws {
        let value = #"{"op":"u","after":{"id":1},"source":{"connector":"sqlserver","commit_lsn":"00000001:00000002:0003"}}"#
        #expect(text(try route(key: #"{"id":1}"#, value: value)).hasPrefix(
            #"{"index":{"_index":"t","_id":"1","version":68719484931,"version_type":"external_gte"}}"#))
    }
}
