import Testing
@testable import TributaryCore

@Suite("Routing Debezium records to bulk operations")
struct DocumentRouterTests {
    let router = DocumentRouter()

    func text(_ item: BulkItem) -> String { String(decoding: item.bytes, as: UTF8.self) }

    @Test("a PostgreSQL snapshot read becomes an external-versioned index of the after row")
    func snapshotRead() throws {
        let value = try #require(try Fixtures.value("postgres-products-snapshot-read-schema"))
        let decision = try router.route(topic: "dbserver1.inventory.products", offset: 7, key: Array(#"{"id":101}"#.utf8), value: value)
        guard case .write(let item) = decision else { Issue.record("expected a write, got \(decision)"); return }
        #expect(item.action == .index)
        #expect(item.index == "products")
        #expect(item.id == "101")
        #expect(item.version == 34_078_720)
        #expect(
            text(item)
                == #"{"index":{"_index":"products","_id":"101","version":34078720,"version_type":"external"}}"# + "\n"
                + #"{"id":101,"name":"scooter","description":"Small 2-wheel scooter","weight":3.14}"# + "\n")
    }

    @Test("a delete uses the key, never the before image, and carries the LSN")
    func deleteUsesKey() throws {
        let value = try #require(try Fixtures.value("postgres-orders-delete-replica-default-schema"))
        let decision = try router.route(topic: "postgres-raw.public.orders", offset: 1, key: Array(#"{"id":5}"#.utf8), value: value)
        guard case .write(let item) = decision else { Issue.record("expected a write"); return }
        #expect(item.action == .delete)
        #expect(item.id == "5")
        #expect(item.index == "orders")
        #expect(text(item).split(separator: "\n").count == 1)
        #expect(text(item).hasPrefix(#"{"delete":{"_index":"orders","_id":"5","version":"#))
    }

    @Test("a composite key is joined with | in key order")
    func compositeKey() throws {
        let value = try #require(try Fixtures.value("postgres-film_actor-delete-compositekey-schema"))
        let decision = try router.route(
            topic: "instance_mypostgres.public.film_actor", offset: 0,
            key: Fixtures.key("postgres-film_actor-delete-compositekey-schema"), value: value)
        guard case .write(let item) = decision else { Issue.record("expected a write"); return }
        #expect(item.id == "1|23")
        #expect(item.action == .delete)
    }

    @Test("tombstones are ignored by default, deleted or fatal on request")
    func tombstones() throws {
        let key = Array(#"{"id":5}"#.utf8)
        #expect(try router.route(topic: "a.b.orders", offset: 3, key: key, value: nil) == .skip(.tombstone))
        let deleting = DocumentRouter(nullValues: .delete)
        guard case .write(let item) = try deleting.route(topic: "a.b.orders", offset: 3, key: key, value: nil) else {
            Issue.record("expected a delete"); return
        }
        #expect(item.action == .delete && item.id == "5" && item.index == "orders" && item.version == nil)
        let failing = DocumentRouter(nullValues: .fail)
        #expect(throws: DecodeError.self) { try failing.route(topic: "a.b.orders", offset: 3, key: key, value: nil) }
    }

    @Test("transaction metadata and truncate are skipped")
    func controlMessages() throws {
        let begin = try #require(try Fixtures.value("postgres-transaction-begin-docs"))
        #expect(try router.route(topic: "x.transaction", offset: 0, key: nil, value: begin) == .skip(.transactionMetadata))
        let truncate = try #require(try Fixtures.value("postgres-customers-truncate-docs-payload"))
        #expect(try router.route(topic: "a.public.customers", offset: 0, key: nil, value: truncate) == .skip(.truncate))
    }

    @Test("malformed JSON, a missing key and a missing LSN are poison pills naming the problem")
    func poison() throws {
        let bad = Array(#"{"payload": {"op": "c", "after": {"id": 1}"#.utf8)
        let error = try #require(throws: DecodeError.self) { try router.route(topic: "t", offset: 0, key: nil, value: bad) }
        #expect(error.code == .malformedValue)

        let value = try #require(try Fixtures.value("postgres-products-create-schema"))
        let noKey = try #require(throws: DecodeError.self) { try router.route(topic: "t", offset: 0, key: nil, value: value) }
        #expect(noKey.code == .missingKey)

        let mysql = try #require(try Fixtures.value("mysql-customers-create-schema"))
        let noLSN = try #require(throws: DecodeError.self) {
            try DocumentRouter(versionSource: .sourceLSN).route(topic: "t", offset: 0, key: Array(#"{"id":1}"#.utf8), value: mysql)
        }
        #expect(noLSN.code == .missingVersion)
        #expect(noLSN.message.contains("version.source"))
    }

    @Test("index name templates and validation")
    func indexNames() throws {
        let template = try IndexNameTemplate(parsing: "cdc-${source.db}-${source.table}")
        let source: JSONObject = ["db": .string("Inventory"), "table": .string("Customers")]
        #expect(try template.render(topic: "t", source: source) == "cdc-inventory-customers")
        #expect(try IndexNameTemplate.tableOrTopic.render(topic: "dbserver1.inventory.orders", source: nil) == "orders")
        #expect(throws: ConfigError.self) { try IndexNameTemplate(parsing: "x-${source.nope}") }
        #expect(throws: DecodeError.self) { try IndexNameTemplate(parsing: "${topic}").render(topic: "_bad", source: nil) }
        #expect(IndexNameTemplate.problem(with: "a b") != nil)
    }

    @Test("kafka.offset and none version sources")
    func versionSources() throws {
        let value = try #require(try Fixtures.value("mysql-customers-create-schema"))
        let key = Array(#"{"id":1}"#.utf8)
        guard case .write(let byOffset) = try DocumentRouter(versionSource: .kafkaOffset).route(topic: "t", offset: 42, key: key, value: value)
        else { Issue.record("expected a write"); return }
        #expect(byOffset.version == 42)
        guard case .write(let unversioned) = try DocumentRouter(versionSource: .none).route(topic: "t", offset: 42, key: key, value: value)
        else { Issue.record("expected a write"); return }
        #expect(unversioned.version == nil)
        #expect(!text(unversioned).contains("version"))
    }
}
