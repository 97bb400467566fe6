import Testing
@testable import TributaryCore

/// `index.mappings=derived`: mappings from JsonConverter schemas, checked
/// against explicit expectations for real Debezium fixtures and for every
/// logical type.
@Suite("Derived index mappings")
struct IndexMappingBuilderTests {
    static let text = #"{"type":"text","fields":{"keyword":{"type":"keyword","ignore_above":256}}}"#
    static let keyword = #"{"type":"keyword"}"#
    static let timestamp = #"{"type":"date","ignore_malformed":true}"#
    static let date = #"{"type":"date","format":"strict_date","ignore_malformed":true}"#
    static func scaled(_ factor: String) -> String { #"{"type":"scaled_float","scaling_factor":\#(factor)}"# }

    /// The compact JSON of the mappings derived from fixture `name`, or `nil`.
    func derived(
        _ name: String, router: DocumentRouter = DocumentRouter(), decimal: IndexMappingOptions.DecimalMapping = .scaledFloat
    ) throws -> String? {
        try router.derivedMappings(value: Fixtures.value(name), decimal: decimal).map { String(decoding: JSONWriter.encode(.object($0)), as: UTF8.self) }
    }

    func mapping(_ fieldSchema: String, decimal: IndexMappingOptions.DecimalMapping = .scaledFloat) throws -> String? {
        let schema = try #require(try JSONParser.parse(fieldSchema).objectValue)
        return FieldMapping.mapping(for: schema, decimal: decimal).map { String(decoding: JSONWriter.encode(.object($0)), as: UTF8.self) }
    }

    @Test("postgres film: ints by width, Decimal as scaled_float, Enum keyword, MicroTimestamp date, text[] as text")
    func film() throws {
        let expected = #"{"properties":{"film_id":{"type":"integer"},"title":\#(Self.text),"description":\#(Self.text),"#
            + #""release_year":{"type":"integer"},"language_id":{"type":"short"},"rental_duration":{"type":"short"},"#
            + #""rental_rate":\#(Self.scaled("100")),"length":{"type":"short"},"replacement_cost":\#(Self.scaled("100")),"#
            + #""rating":\#(Self.keyword),"last_update":\#(Self.timestamp),"special_features":\#(Self.text)}}"#
        #expect(try derived("postgres-film-snapshot-read-decimal-enum-array-schema") == expected)
    }

    @Test("postgres orders: the same mapping from an insert, a snapshot, a delete and a flattened row")
    func orders() throws {
        let expected = #"{"properties":{"order_id":{"type":"integer"},"customer_name":\#(Self.text),"product":\#(Self.text),"#
            + #""quantity":{"type":"integer"},"price":\#(Self.scaled("100")),"order_date":\#(Self.timestamp),"status":\#(Self.text)}}"#
        #expect(try derived("postgres-orders-create-schema") == expected)
        #expect(try derived("postgres-orders-snapshot-first-decimal-schema") == expected)
        #expect(try derived("postgres-orders-delete-replica-default-schema") == expected)
        // ExtractNewRecordState's `__deleted` column is metadata, not a field.
        #expect(try derived("postgres-orders-snapshot-flattened-unwrap-schema") == expected)
    }

    @Test("postgres store_api_order: Uuid keyword, ZonedTimestamp date")
    func storeOrder() throws {
        let expected = #"{"properties":{"id":\#(Self.keyword),"created":\#(Self.timestamp),"updated":\#(Self.timestamp),"#
            + #""deleted":\#(Self.timestamp),"state":\#(Self.text),"customer_id":\#(Self.keyword)}}"#
        #expect(try derived("postgres-store_api_order-create-uuid-zonedtimestamp-schema") == expected)
    }

    @Test("mysql connect types: Connect Time keyword, Connect Timestamp date, Json object, unknown names by their type")
    func mysqlConnectTypes() throws {
        let expected = #"{"properties":{"O_KEY":{"type":"long"},"O_BOOL":{"type":"short"},"O_TINY":{"type":"short"},"#
            + #""O_INT":{"type":"integer"},"O_REAL":{"type":"double"},"O_DOUBLE":{"type":"double"},"O_DECIMAL":{"type":"double"},"#
            + #""O_CHAR":\#(Self.text),"O_DATE":\#(Self.text),"O_TIME":\#(Self.keyword),"O_DATETIME":\#(Self.timestamp),"#
            + #""O_TIMESTAMP":\#(Self.timestamp),"O_JSON":{"type":"object"}}}"#
        #expect(try derived("mysql-orders-update-schema-connect-types") == expected)
    }

    @Test("VariableScaleDecimal: double under scaled_float (no fixed scale); decimal.mapping double and keyword")
    func variableScale() throws {
        let name = "postgres-order-create-variablescaledecimal-schema"
        #expect(try derived(name)?.contains(#""price":{"type":"double"}"#) == true)
        #expect(try derived(name, decimal: .double)?.contains(#""price":{"type":"double"}"#) == true)
        #expect(try derived(name, decimal: .keyword)?.contains(#""price":{"type":"keyword"}"#) == true)
        #expect(try derived("postgres-orders-create-schema", decimal: .keyword)?.contains(#""price":{"type":"keyword"}"#) == true)
        #expect(try derived("postgres-orders-create-schema", decimal: .double)?.contains(#""price":{"type":"double"}"#) == true)
    }

    @Test("no row schema, no mappings: schemaless alltypes, MongoDB's JSON-string rows, tombstones, truncates")
    func noSchema() throws {
        #expect(try derived("postgres-alltypes-snapshot-read-othertypes-payloadwrapper") == nil)
        #expect(try derived("postgres-alltypes-snapshot-read-temporaltypes-payloadwrapper") == nil)
        #expect(try derived("mongodb-customers-snapshot-read-schema") == nil)
        #expect(try derived("postgres-orders-tombstone") == nil)
        #expect(try derived("postgres-customers-truncate-docs-payload") == nil)
        #expect(try derived("postgres-transaction-begin-docs") == nil)
    }

    @Test("every logical type")
    func logicalTypes() throws {
        let cases: [(schema: String, mapping: String?)] = [
            (#"{"type":"int8"}"#, #"{"type":"byte"}"#),
            (#"{"type":"int16"}"#, #"{"type":"short"}"#),
            (#"{"type":"int32","name":"io.debezium.time.Year"}"#, #"{"type":"integer"}"#),
            (#"{"type":"int64"}"#, #"{"type":"long"}"#),
            (#"{"type":"float"}"#, #"{"type":"float"}"#),
            (#"{"type":"float32"}"#, #"{"type":"float"}"#),
            (#"{"type":"double"}"#, #"{"type":"double"}"#),
            (#"{"type":"boolean"}"#, #"{"type":"boolean"}"#),
            (#"{"type":"string"}"#, Self.text),
            (#"{"type":"string","name":"io.debezium.data.Xml"}"#, Self.text),
            (#"{"type":"bytes"}"#, #"{"type":"binary"}"#),
            (#"{"type":"int32","name":"io.debezium.time.Date"}"#, Self.date),
            (#"{"type":"int32","name":"org.apache.kafka.connect.data.Date"}"#, Self.date),
            (#"{"type":"int32","name":"io.debezium.time.Time"}"#, Self.keyword),
            (#"{"type":"int64","name":"io.debezium.time.MicroTime"}"#, Self.keyword),
            (#"{"type":"int64","name":"io.debezium.time.NanoTime"}"#, Self.keyword),
            (#"{"type":"int32","name":"org.apache.kafka.connect.data.Time"}"#, Self.keyword),
            (#"{"type":"string","name":"io.debezium.time.ZonedTime"}"#, Self.keyword),
            (#"{"type":"int64","name":"io.debezium.time.Timestamp"}"#, Self.timestamp),
            (#"{"type":"int64","name":"io.debezium.time.MicroTimestamp"}"#, Self.timestamp),
            (#"{"type":"int64","name":"org.apache.kafka.connect.data.Timestamp"}"#, Self.timestamp),
            (#"{"type":"string","name":"io.debezium.time.ZonedTimestamp"}"#, Self.timestamp),
            (#"{"type":"int64","name":"io.debezium.time.NanoTimestamp"}"#, #"{"type":"date_nanos","ignore_malformed":true}"#),
            (#"{"type":"int64","name":"io.debezium.time.MicroDuration"}"#, Self.keyword),
            (#"{"type":"string","name":"io.debezium.data.Json"}"#, #"{"type":"object"}"#),
            (#"{"type":"string","name":"io.debezium.data.Uuid"}"#, Self.keyword),
            (#"{"type":"string","name":"io.debezium.data.Enum","parameters":{"allowed":"a,b"}}"#, Self.keyword),
            (#"{"type":"string","name":"io.debezium.data.EnumSet","parameters":{"allowed":"a,b"}}"#, Self.keyword),
            (#"{"type":"bytes","name":"io.debezium.data.Bits","parameters":{"length":"12"}}"#, #"{"type":"long"}"#),
            (#"{"type":"bytes","name":"io.debezium.data.Bits","parameters":{"length":"64"}}"#, #"{"type":"binary"}"#),
            (#"{"type":"bytes","name":"io.debezium.data.Bits"}"#, nil),
            (#"{"type":"struct","name":"io.debezium.data.geometry.Point","fields":[{"type":"double","field":"x"},{"type":"double","field":"y"}]}"#,
             #"{"type":"geo_shape","ignore_malformed":true}"#),
            (#"{"type":"struct","name":"io.debezium.data.geometry.Geometry","fields":[{"type":"bytes","field":"wkb"},{"type":"int32","field":"srid"}]}"#,
             #"{"type":"geo_shape","ignore_malformed":true}"#),
            (#"{"type":"struct","name":"io.debezium.data.geometry.Geography","fields":[]}"#, #"{"type":"geo_shape","ignore_malformed":true}"#),
            (#"{"type":"array","items":{"type":"int32","name":"io.debezium.time.Date"}}"#, Self.date),
            (#"{"type":"array","items":{"type":"array","items":{"type":"int16"}}}"#, #"{"type":"short"}"#),
            (#"{"type":"map","keys":{"type":"string"},"values":{"type":"int32"}}"#, nil),
            (#"{"type":"struct","fields":[{"type":"string","name":"io.debezium.data.Uuid","field":"u"},{"type":"map","keys":{"type":"string"},"values":{"type":"string"},"field":"m"},{"type":"struct","fields":[{"type":"boolean","field":"ok"}],"field":"inner"}]}"#,
             #"{"properties":{"u":{"type":"keyword"},"inner":{"properties":{"ok":{"type":"boolean"}}}}}"#),
            (#"{"type":"struct","fields":[]}"#, #"{"type":"object"}"#),
        ]
        for (schema, expected) in cases {
            #expect(try mapping(schema) == expected, "\(schema)")
        }
    }

    @Test("scaled_float: 10^scale, capped so the scaled value fits a long; double beyond 18 integer digits")
    func scaledFloatCap() throws {
        func decimal(scale: Int, precision: Int?) -> String {
            let precision = precision.map { #","connect.decimal.precision":"\#($0)""# } ?? ""
            return #"{"type":"bytes","name":"org.apache.kafka.connect.data.Decimal","parameters":{"scale":"\#(scale)"\#(precision)}}"#
        }
        #expect(try mapping(decimal(scale: 2, precision: 10)) == Self.scaled("100"))
        #expect(try mapping(decimal(scale: 0, precision: 10)) == Self.scaled("1"))
        #expect(try mapping(decimal(scale: -2, precision: 10)) == Self.scaled("1"))
        #expect(try mapping(decimal(scale: 10, precision: 12)) == Self.scaled("10000000000"))
        #expect(try mapping(decimal(scale: 18, precision: 38)) == #"{"type":"double"}"#, "20 integer digits overflow a long")
        #expect(try mapping(decimal(scale: 2, precision: 20)) == Self.scaled("1"), "18 integer digits leave no room for cents")
        #expect(try mapping(decimal(scale: 18, precision: 30)) == Self.scaled("1000000"))
        #expect(try mapping(decimal(scale: 0, precision: 38)) == #"{"type":"double"}"#)
        #expect(try mapping(decimal(scale: 2, precision: nil)) == Self.scaled("100"))
        #expect(try mapping(decimal(scale: 9, precision: nil)) == Self.scaled("1000000"), "unknown precision: at most 10^6")
        #expect(try mapping(#"{"type":"bytes","name":"org.apache.kafka.connect.data.Decimal","parameters":{"scale":4}}"#) == Self.scaled("10000"))
    }

    @Test("the document mapping shapes the properties: include, exclude, rename, reserved names, metadata, soft deletes")
    func documentMapping() throws {
        let schema = try #require(try JSONParser.parse(
            #"{"type":"struct","fields":[{"type":"int32","field":"id"},{"type":"string","field":"name"},{"type":"string","field":"secret"},"#
                + #"{"type":"string","field":"_id"},{"type":"int64","name":"io.debezium.time.MicroTimestamp","field":"at"},"#
                + #"{"type":"string","field":"__deleted"},{"type":"int64","field":"__lsn"}]}"#).objectValue)
        let mapping = DocumentMapping(
            exclude: ["secret"], rename: ["name": "title"], metadataFields: [.op, .lsn, .sourceTimestamp, .timestamp, .table, .version])
        let builder = IndexMappingBuilder(mapping: mapping, deleteMode: .soft)
        let envelope = try #require(builder.mappings(rowSchema: schema, flattened: false))
        #expect(String(decoding: JSONWriter.encode(.object(envelope)), as: UTF8.self) ==
            #"{"properties":{"id":{"type":"integer"},"title":\#(Self.text),"at":\#(Self.timestamp),"#
            + #""__deleted":{"type":"boolean"},"__lsn":{"type":"long"},"__op":{"type":"keyword"},"#
            + #""__source_ts_ms":{"type":"date","format":"epoch_millis"},"__ts_ms":{"type":"date","format":"epoch_millis"},"#
            + #""__table":{"type":"keyword"},"__version":{"type":"long"}}}"#)

        // A flattened row's `__` columns are metadata: gone unless kept.
        let flat = IndexMappingBuilder(mapping: DocumentMapping(include: ["id", "at"]))
        #expect(String(decoding: JSONWriter.encode(.object(try #require(flat.mappings(rowSchema: schema, flattened: true)))), as: UTF8.self) ==
            #"{"properties":{"id":{"type":"integer"},"at":\#(Self.timestamp)}}"#)
        let kept = IndexMappingBuilder(mapping: DocumentMapping(include: ["id"], keepFlattenedMetadata: true))
        #expect(String(decoding: JSONWriter.encode(.object(try #require(kept.mappings(rowSchema: schema, flattened: true)))), as: UTF8.self) ==
            #"{"properties":{"id":{"type":"integer"},"__deleted":\#(Self.text),"__lsn":{"type":"long"}}}"#)

        // Nothing mappable, or not a struct: no mappings at all.
        #expect(IndexMappingBuilder().mappings(rowSchema: ["type": .string("string"), "name": .string("io.debezium.data.Json")], flattened: false) == nil)
        #expect(IndexMappingBuilder(mapping: DocumentMapping(include: ["nope"])).mappings(rowSchema: schema, flattened: false) == nil)
    }

    @Test("the router applies its own mapping and delete mode")
    func router() throws {
        let router = DocumentRouter(mapping: DocumentMapping(include: ["order_id", "price"]), deleteMode: .soft)
        #expect(try derived("postgres-orders-create-schema", router: router) ==
            #"{"properties":{"order_id":{"type":"integer"},"price":\#(Self.scaled("100")),"__deleted":{"type":"boolean"}}}"#)
    }

    @Test("the create-index body wraps the mappings")
    func body() {
        let body = IndexMappingBuilder.createIndexBody(mappings: ["properties": .object(["a": .object(["type": .string("long")])])])
        #expect(String(decoding: body, as: UTF8.self) == #"{"mappings":{"properties":{"a":{"type":"long"}}}}"#)
    }

    @Test("PUT /<index> answers: created, exists (never touched), retried, given up")
    func creation() {
        func classify(_ status: Int, _ body: String = "") -> IndexCreation { IndexCreation.classify(status: status, body: Array(body.utf8)) }
        func error(_ type: String, _ reason: String = "r") -> String { #"{"error":{"type":"\#(type)","reason":"\#(reason)"},"status":400}"# }
        #expect(classify(200, #"{"acknowledged":true}"#) == .created)
        #expect(classify(400, error("resource_already_exists_exception")) == .exists)
        #expect(classify(400, error("invalid_index_name_exception", "Invalid index name [orders], already exists as alias")) == .exists)
        for status in [401, 408, 429, 500, 502, 503, 504] {
            guard case .retry = classify(status, error("x")) else { Issue.record("\(status) must be retried"); continue }
        }
        guard case .retry = classify(403, error("cluster_block_exception")) else { Issue.record("a cluster block must be retried"); return }
        guard case .giveUp(let reason) = classify(400, error("mapper_parsing_exception", "No handler for type [date_nanos]")) else {
            Issue.record("an invalid mapping is given up")
            return
        }
        #expect(reason == "HTTP 400 mapper_parsing_exception: No handler for type [date_nanos]")
        guard case .giveUp = classify(403, error("security_exception")) else { Issue.record("no permission is given up"); return }
        guard case .giveUp = classify(400, error("invalid_index_name_exception", "must be lowercase")) else { Issue.record("bad name"); return }
    }
}
