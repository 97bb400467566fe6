import Testing
@testable import TributaryCore

/// Field mapping, TOAST-safe updates, soft deletes, truncate and routing.
@Suite("Document mapping and write strategies")
struct DocumentMappingTests {
    func text(_ item: BulkItem) -> String { String(decoding: item.bytes, as: UTF8.self) }
    func lines(_ item: BulkItem) -> [String] { text(item).split(separator: "\n").map(String.init) }

    func route(_ router: DocumentRouter, topic: String = "pg.public.orders", key: String? = #"{"id":1}"#, value: String) throws -> DocumentRouter.Decision {
        try router.route(topic: topic, offset: 3, key: key.map { Array($0.utf8) }, value: Array(value.utf8))
    }

    func write(_ router: DocumentRouter, topic: String = "pg.public.orders", key: String? = #"{"id":1}"#, value: String) throws -> BulkItem {
        guard case .write(let item) = try route(router, topic: topic, key: key, value: value) else {
            Issue.record("expected a write")
            throw DecodeError(.missingRow, "no write")
        }
        return item
    }

    static func event(op: String = "u", after: String, lsn: Int = 500) -> String {
        #"{"op":"\#(op)","after":\#(after),"source":{"connector":"postgresql","lsn":\#(lsn),"ts_ms":1700000000000,"db":"shop","schema":"public","table":"orders"},"ts_ms":1700000000123}"#
    }

    @Test("include, exclude, rename, drop nulls, metadata fields, topic map")
    func mapping() throws {
        let router = DocumentRouter(
            topicIndexMap: ["pg.public.orders": "orders-v2"],
            mapping: DocumentMapping(
                include: ["id", "name", "secret", "note", "price"], exclude: ["secret"], rename: ["name": "title"], dropNulls: true,
                metadataFields: [.op, .lsn, .sourceTimestamp, .table, .db, .version]))
        let item = try write(router, value: Self.event(after: #"{"id":1,"name":"A","secret":"s","note":null,"price":5,"extra":true}"#))
        #expect(lines(item) == [
            #"{"index":{"_index":"orders-v2","_id":"1","version":500,"version_type":"external"}}"#,
            #"{"id":1,"title":"A","price":5,"__op":"u","__lsn":500,"__source_ts_ms":1700000000000,"__table":"orders","__db":"shop","__version":500}"#,
        ])
        let prefixed = DocumentRouter(mapping: DocumentMapping(metadataFields: [.timestamp, .connector], metadataPrefix: "_cdc_"))
        #expect(lines(try write(prefixed, value: Self.event(after: #"{"id":1}"#)))[1] == #"{"id":1,"_cdc_ts_ms":1700000000123,"_cdc_connector":"postgresql"}"#)
    }

    @Test("routing.field adds routing to index and delete action lines, from the row or the key")
    func routing() throws {
        let router = DocumentRouter(mapping: DocumentMapping(routingField: "tenant"))
        let item = try write(router, value: Self.event(after: #"{"id":1,"tenant":"acme"}"#))
        #expect(lines(item)[0] == #"{"index":{"_index":"orders","_id":"1","version":500,"version_type":"external","routing":"acme"}}"#)
        #expect(item.routing == "acme")
        let delete = try write(router, key: #"{"id":1,"tenant":"acme"}"#, value: #"{"op":"d","before":{"id":1},"source":{"connector":"postgresql","lsn":600}}"#)
        #expect(lines(delete) == [#"{"delete":{"_index":"orders","_id":"1|acme","version":600,"version_type":"external","routing":"acme"}}"#])
        let missing = #expect(throws: DecodeError.self) { try route(router, value: Self.event(after: #"{"id":1}"#)) }
        #expect(missing?.code == .missingRouting)
    }

    // MARK: TOAST

    @Test("an unchanged TOASTed column is never written: the row becomes a guarded scripted update")
    func toastScript() throws {
        let placeholder = UnavailableValue.placeholder
        let after = #"{"id":1,"name":"new","body":"\#(placeholder)","tags":["\#(placeholder)"],"blob":"\#(UnavailableValue.base64Placeholder)","gone":null}"#
        let router = DocumentRouter(mapping: DocumentMapping(dropNulls: true))
        let item = try write(router, value: Self.event(after: after))
        #expect(item.action == .update)
        #expect(!text(item).contains(placeholder) && !text(item).contains(UnavailableValue.base64Placeholder))
        let expectedScript = BulkItem.guardedMergeScript  // it holds no character JSON escapes
        #expect(lines(item) == [
            #"{"update":{"_index":"orders","_id":"1","retry_on_conflict":3}}"#,
            #"{"script":{"lang":"painless","source":"\#(expectedScript)","params":{"version":500,"gte":false,"doc":{"id":1,"name":"new"},"remove":["gone"]}}}"#,
        ])
        // The body is valid JSON whose doc holds only the available columns.
        let body = try JSONParser.parse(lines(item)[1])
        #expect(body["script"]?["params"]?["doc"] == .object(["id": .number(JSONNumber(1)), "name": .string("new")]))
    }

    @Test("toast.mode=update writes a plain partial doc update; complete rows stay index operations")
    func toastUpdate() throws {
        let router = DocumentRouter(toastMode: .update)
        let item = try write(router, value: Self.event(after: #"{"id":1,"body":"\#(UnavailableValue.placeholder)","n":2}"#))
        #expect(lines(item) == [#"{"update":{"_index":"orders","_id":"1","retry_on_conflict":3}}"#, #"{"doc":{"id":1,"n":2}}"#])
        #expect(try write(router, value: Self.event(after: #"{"id":1,"body":"text","n":2}"#)).action == .index)
    }

    @Test("a missing document on a partial update is stale, and bulk responses name update items")
    func updateOutcomes() throws {
        let body = Array(#"{"errors":true,"items":[{"update":{"_index":"orders","_id":"1","status":404,"error":{"type":"document_missing_exception","reason":"[1]: document missing"}}},{"update":{"_index":"orders","_id":"2","status":200,"result":"noop"}}]}"#.utf8)
        let response = try BulkResponse.parse(body, expectedItems: 2)
        #expect(response.items.map(\.action) == [.update, .update])
        #expect(OutcomeClassifier.classify(response.items[0]) == .stale)
        #expect(OutcomeClassifier.classify(response.items[1]) == .applied)
    }

    // MARK: Soft deletes and truncate

    @Test("delete.mode=soft: a versioned tombstone replaces the row; live documents carry __deleted false")
    func softDelete() throws {
        let router = DocumentRouter(deleteMode: .soft)
        let live = try write(router, value: Self.event(after: #"{"id":1,"name":"A"}"#))
        #expect(lines(live)[1] == #"{"id":1,"name":"A","__deleted":false}"#)
        let tombstone = try write(
            router, key: #"{"id":1}"#, value: #"{"op":"d","before":{"id":1,"name":"A"},"source":{"connector":"postgresql","lsn":700,"table":"orders"}}"#)
        #expect(lines(tombstone) == [
            #"{"index":{"_index":"orders","_id":"1","version":700,"version_type":"external"}}"#, #"{"id":1,"__deleted":true}"#,
        ])
        // The composite-key fixture: both key columns land in the tombstone.
        let composite = try router.route(
            topic: "x.public.film_actor", offset: 0, key: Fixtures.key("postgres-film_actor-delete-compositekey-schema"),
            value: try Fixtures.value("postgres-film_actor-delete-compositekey-schema"))
        guard case .write(let item) = composite else { Issue.record("expected a write"); return }
        #expect(lines(item)[1] == #"{"actor_id":1,"film_id":23,"__deleted":true}"#)
        // A flattened rewrite delete becomes a tombstone too.
        let flattened = try write(router, value: #"{"id":1,"name":"A","__lsn":800,"__deleted":"true"}"#)
        #expect(lines(flattened)[1] == #"{"id":1,"__deleted":true}"#)
    }

    @Test("truncate: skipped by default, deleteAll of the table's index under delete_all")
    func truncate() throws {
        let value = try #require(try Fixtures.value("postgres-customers-truncate-docs-payload"))
        #expect(try DocumentRouter().route(topic: "a.public.customers", offset: 0, key: nil, value: value) == .skip(.truncate))
        let deleting = DocumentRouter(truncateMode: .deleteAll)
        #expect(try deleting.route(topic: "a.public.customers", offset: 0, key: nil, value: value) == .deleteAll(index: "customers"))
        let mapped = DocumentRouter(topicIndexMap: ["a.public.customers": "crm"], truncateMode: .deleteAll)
        #expect(try mapped.route(topic: "a.public.customers", offset: 0, key: nil, value: value) == .deleteAll(index: "crm"))
    }

    @Test("schemaless rows pass through unless field.types says otherwise")
    func schemaless() throws {
        let plain = DocumentRouter()
        #expect(lines(try write(plain, value: Self.event(after: #"{"id":1,"price":"AdTA","d":19279}"#)))[1] == #"{"id":1,"price":"AdTA","d":19279}"#)
        let hinted = DocumentRouter(mapping: DocumentMapping(fieldTypes: try FieldTypeHints.parse("price:decimal(2),d:date")))
        #expect(lines(try write(hinted, value: Self.event(after: #"{"id":1,"price":"AdTA","d":19279}"#)))[1] == #"{"id":1,"price":1200.00,"d":"2022-10-14"}"#)
    }

    @Test("the router converts rows of the fixtures with hand-checked values")
    func fixtureValues() throws {
        func document(_ name: String, key: String) throws -> String {
            let decision = try DocumentRouter().route(topic: "s.p.\(name)", offset: 0, key: Array(key.utf8), value: try Fixtures.value(name))
            guard case .write(let item) = decision else { return "" }
            return lines(item)[1]
        }
        let t = try document("postgres-t-snapshot-read-temporal-schema", key: #"{"id":1}"#)
        #expect(t == #"{"id":1,"ts":"2022-10-14T23:55:31.989360Z","d":"2022-10-14","t":"23:55:31.989360"}"#)
        let film = try document("postgres-film-snapshot-read-decimal-enum-array-schema", key: #"{"film_id":778}"#)
        #expect(film.contains(#""rental_rate":4.99"#) && film.contains(#""replacement_cost":24.99"#))
        let order = try document("postgres-order-create-variablescaledecimal-schema", key: #"{"row_id":"0ff624a0"}"#)
        #expect(order.contains(#""price":146.36"#))
        #expect(try document("postgres-orders-create-schema", key: #"{"order_id":6}"#).contains(#""price":450.00"#))
        #expect(try document("postgres-orders-snapshot-first-decimal-schema", key: #"{"order_id":1}"#).contains(#""price":1200.00"#))
        #expect(try document("postgres-payment-snapshot-last-decimal-schema", key: #"{"payment_id":1}"#).contains(#""amount":2.99"#))
        let flattened = try DocumentRouter().route(
            topic: "dbserver1.inventory.customers", offset: 0, key: Fixtures.key("flattened-customers-create-addfields-schema"),
            value: try Fixtures.value("flattened-customers-create-addfields-schema"))
        guard case .write(let item) = flattened else { Issue.record("expected a write"); return }
        #expect(lines(item)[1] == #"{"id":1003,"first_name":"Edward","last_name":"Walker","email":"ed@walker.com"}"#)
        #expect(item.index == "customers" && item.id == "1003")
    }
}
