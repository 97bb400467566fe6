import Testing
@testable import TributaryCore

@Suite("Bulk responses and item outcomes")
struct OutcomeClassifierTests {
    @Test("per-item results are parsed in order and classified")
    func classifyItems() throws {
        let body = Array(
            #"""
            {"took":3,"errors":true,"items":[
            {"index":{"_index":"p","_id":"1","_version":5,"result":"created","status":201}},
            {"index":{"_index":"p","_id":"2","status":409,"error":{"type":"version_conflict_engine_exception","reason":"[2]: version conflict, current version [9] is higher or equal to the one provided [5]"}}},
            {"index":{"_index":"p","_id":"3","status":429,"error":{"type":"es_rejected_execution_exception","reason":"rejected execution"}}},
            {"index":{"_index":"p","_id":"4","status":400,"error":{"type":"mapper_parsing_exception","reason":"failed to parse field [n] of type [integer]"}}},
            {"delete":{"_index":"p","_id":"5","_version":7,"result":"not_found","status":404}},
            {"index":{"_index":"p","_id":"6","status":503,"error":{"type":"unavailable_shards_exception","reason":"primary shard is not active"}}},
            {"index":{"_index":"p","_id":"7","status":500,"error":{"type":"exception","reason":"boom"}}},
            {"index":{"_index":"p","_id":"8","status":403,"error":{"type":"cluster_block_exception","reason":"index [p] blocked by: [FORBIDDEN/12/index read-only / allow delete (api)]"}}}
            ]}
            """#.utf8)
        let response = try BulkResponse.parse(body, expectedItems: 8)
        let outcomes = response.items.map(OutcomeClassifier.classify)
        #expect(outcomes[0] == .applied)
        #expect(outcomes[1] == .stale)
        guard case .throttled(429, _) = outcomes[2] else { Issue.record("429 must be throttled, got \(outcomes[2])"); return }
        guard case .rejected(400, let reason) = outcomes[3] else { Issue.record("mapping error must be rejected"); return }
        #expect(reason.hasPrefix("mapper_parsing_exception"))
        #expect(outcomes[4] == .applied, "deleting a missing document reaches the goal state")
        guard case .throttled(503, _) = outcomes[5] else { Issue.record("503 must be throttled"); return }
        guard case .failed(500, _) = outcomes[6] else { Issue.record("500 is a bounded retry"); return }
        guard case .throttled(403, _) = outcomes[7] else { Issue.record("a read-only block must never dead-letter"); return }
    }

    @Test("unusable bodies are errors, not crashes")
    func unusableBodies() {
        #expect(throws: BulkResponse.ParseError.self) { try BulkResponse.parse(Array("<html>502 Bad Gateway</html>".utf8), expectedItems: 1) }
        #expect(throws: BulkResponse.ParseError.self) { try BulkResponse.parse(Array(#"{"items":[{"index":{"status":201}}"#.utf8), expectedItems: 1) }
        #expect(throws: BulkResponse.ParseError.self) { try BulkResponse.parse(Array(#"{"items":[]}"#.utf8), expectedItems: 2) }
    }

    @Test("whole-request failures")
    func requestLevel() {
        #expect(OutcomeClassifier.classifyRequest(status: 429, errorType: nil, reason: "") == .throttled(status: 429, reason: ""))
        #expect(OutcomeClassifier.classifyRequest(status: 413, errorType: nil, reason: "") == .rejected(status: 413, reason: ""))
        let summary = BulkResponse.errorSummary(Array(#"{"error":{"type":"illegal_argument_exception","reason":"bad"},"status":400}"#.utf8))
        #expect(summary.type == "illegal_argument_exception")
    }

    @Test("bulk items encode the action line and document as NDJSON")
    func encoding() {
        let doc: JSONObject = ["id": .number(JSONNumber(1)), "price": .number(JSONNumber(unchecked: "1200.00")), "name": .string("a \"quoted\"\nline")]
        let item = BulkItem.index("orders", id: "1", version: 99, document: doc)
        #expect(
            String(decoding: item.bytes, as: UTF8.self)
                == #"{"index":{"_index":"orders","_id":"1","version":99,"version_type":"external"}}"# + "\n"
                + #"{"id":1,"price":1200.00,"name":"a \"quoted\"\nline"}"# + "\n")
        let delete = BulkItem.delete("orders", id: "a\"b", version: nil)
        #expect(String(decoding: delete.bytes, as: UTF8.self) == #"{"delete":{"_index":"orders","_id":"a\"b"}}"# + "\n")
    }

    @Test("backoff grows exponentially with full jitter and a ceiling")
    func backoff() {
        let backoff = Backoff(baseMs: 100, maximumMs: 5000)
        #expect(backoff.ceilingMs(attempt: 0) == 100)
        #expect(backoff.ceilingMs(attempt: 3) == 800)
        #expect(backoff.ceilingMs(attempt: 60) == 5000)
        var generator = SeededGenerator(seed: 1)
        let delays = (0..<1000).map { _ in backoff.delayMs(attempt: 2, using: &generator) }
        #expect(delays.allSatisfy { (0...400).contains($0) })
        #expect(Set(delays).count > 100, "jitter spreads the delays")
    }
}
