import Testing

@testable import TributaryCore

/// `BulkResponse.scan` must read exactly what the tree parse reads, or step
/// aside; it must never accept a body the tree parse rejects.
@Suite("Bulk responses read without a tree")
struct BulkResponseScanTests {
    static func check(_ body: [UInt8], expected: Int, sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        let tree = Result { () throws(BulkResponse.ParseError) in try BulkResponse.parseTree(body, expectedItems: expected) }
        guard let scanned = body.withUnsafeBytes({ BulkResponse.scan($0, expectedItems: expected) }) else { return false }
        #expect(tree == .success(scanned), "\(String(decoding: body, as: UTF8.self))", sourceLocation: sourceLocation)
        return true
    }

    /// A random response in OpenSearch's shape, with the odd extra member,
    /// escapes, whitespace, string errors and duplicate members.
    static func response(items count: Int, using generator: inout SeededGenerator) -> String {
        var items: [String] = []
        for index in 0..<count {
            let action = ["index", "create", "delete", "update"].randomElement(using: &generator) ?? "index"
            var members = [#""_index":"products","_id":"\#(index)""#, #""_version":\#(index + 1)"#,
                           #""_shards":{"total":2,"successful":1,"failed":0}"#]
            switch Int.random(in: 0..<6, using: &generator) {
            case 0:
                members += [#""status":409"#, #""error":{"type":"version_conflict_engine_exception","reason":"[\#(index)]: version conflict, current version [9] is higher or equal to the one provided [3]","index":"products","caused_by":{"type":"x","reason":"y"}}"#]
            case 1:
                members += [#""status":400"#, #""error":{"type":"mapper_parsing_exception","reason":"failed to parse field [price] \"x\" \u00e9"}"#]
            case 2:
                members += [#""status":429"#, #""error":"es_rejected_execution_exception: rejected""#]
            case 3:
                members += [#""result":"not_found""#, #""status":404"#, #""status":200"#]  // a repeated member: the last wins
            default:
                members += [#""result":"\#(index % 2 == 0 ? "created" : "updated")""#, #""status":\#(index % 2 == 0 ? 201 : 200)"#]
            }
            members.shuffle(using: &generator)
            let separator = Bool.random(using: &generator) ? "," : " ,\n "
            items.append(#"{"\#(action)":{\#(members.joined(separator: separator))}}"#)
        }
        return #"{"took":3,"errors":\#(Bool.random(using: &generator)),"items":[\#(items.joined(separator: ","))]}"#
    }

    @Test("random responses read the same both ways")
    func randomResponses() {
        var generator = SeededGenerator(seed: 0x5EED_0300)
        for round in 0..<500 {
            let count = round % 20
            #expect(Self.check(Array(Self.response(items: count, using: &generator).utf8), expected: count))
        }
    }

    @Test("mutated responses never read differently")
    func mutations() {
        var generator = SeededGenerator(seed: 0x5EED_0301)
        let alphabet = Array(#"{}[]",:\ 1tn"#.utf8) + [0x00, 0xFF]
        var scanned = 0
        for _ in 0..<5_000 {
            var body = Array(Self.response(items: 3, using: &generator).utf8)
            let at = Int.random(in: 0..<body.count, using: &generator)
            switch Int.random(in: 0..<3, using: &generator) {
            case 0: body[at] = alphabet.randomElement(using: &generator) ?? 0x20
            case 1: body.remove(at: at)
            default: body.insert(alphabet.randomElement(using: &generator) ?? 0x20, at: at)
            }
            if Self.check(body, expected: 3) { scanned += 1 }
        }
        #expect(scanned > 1_000, "only \(scanned) mutated responses scanned")
    }

    /// What a server sends for `BulkResponse.requestPath`: of the top level
    /// only `errors`, `error` and `status`; of each item only `status`,
    /// `result` and `error` under the action's name.
    static func filtered(_ body: String) throws -> [UInt8] {
        guard case .object(let top) = try JSONParser.parse(body) else { return [] }
        var kept = JSONObject()
        for (key, value) in top {
            switch key {
            case "errors", "error", "status": kept.append(key: key, value: value)
            case "items":
                guard case .array(let items) = value else { continue }
                let slim: [JSONValue] = items.map { item in
                    guard case .object(let actions) = item else { return item }
                    var byAction = JSONObject()
                    for (action, result) in actions {
                        guard case .object(let members) = result else { continue }
                        var fields = JSONObject()
                        for (name, field) in members where ["status", "result", "error"].contains(name) {
                            fields.append(key: name, value: field)
                        }
                        byAction.append(key: action, value: .object(fields))
                    }
                    return .object(byAction)
                }
                kept.append(key: key, value: .array(slim))
            default: continue
            }
        }
        var writer = JSONWriter()
        writer.write(.object(kept))
        return writer.bytes
    }

    @Test("responses filtered by the request's filter_path read as the whole ones")
    func filteredResponses() throws {
        var generator = SeededGenerator(seed: 0x5EED_0302)
        for round in 0..<300 {
            let count = 1 + round % 20
            let body = Self.response(items: count, using: &generator)
            let whole = try BulkResponse.parse(Array(body.utf8), expectedItems: count)
            let slim = try Self.filtered(body)
            #expect(slim.count < body.utf8.count)
            #expect(Self.check(slim, expected: count), "\(String(decoding: slim, as: UTF8.self))")
            #expect(try BulkResponse.parse(slim, expectedItems: count) == whole)
        }
        // osmem-server's answer to `requestPath` for a created, a stale and a missing document.
        let osmem = #"{"errors":true,"items":[{"index":{"result":"created","status":201}},{"index":{"error":{"index":"t","index_uuid":"_na_","reason":"[1]: version conflict, current version [5] is higher or equal to the one provided [4]","shard":"0","type":"version_conflict_engine_exception"},"status":409}},{"delete":{"result":"not_found","status":404}}]}"#
        let read = try BulkResponse.parse(Array(osmem.utf8), expectedItems: 3)
        #expect(read.errors)
        #expect(read.items.map(\.status) == [201, 409, 404])
        #expect(read.items.map(\.result) == ["created", nil, "not_found"])
        #expect(read.items[1].errorType == "version_conflict_engine_exception")
        // A failed request's error survives the filter.
        let failed = Array(#"{"error":{"type":"es_rejected_execution_exception","reason":"queue full"},"status":429}"#.utf8)
        #expect(BulkResponse.errorSummary(failed).type == "es_rejected_execution_exception")
    }

    @Test("escaped member names read as their decoded text")
    func escapedNames() {
        for body in [
            #"{"\u0065rrors":true,"it\u0065ms":[{"d\u0065lete":{"st\u0061tus":404,"r\u0065sult":"not_found"}}]}"#,
            #"{"items":[{"index":{"status":409,"\u0065rror":{"typ\u0065":"version_conflict_engine_exception","r\u0065ason":"x"}}}]}"#,
            #"{"items":[{"update":{"status":200,"st\u0061tus":400}}]}"#,
        ] {
            #expect(Self.check(Array(body.utf8), expected: 1), "\(body)")
        }
    }

    @Test("bodies the tree parse rejects are left to it")
    func rejected() {
        for (body, expected) in [("<html>502 Bad Gateway</html>", 1), (#"{"items":[{"index":{"status":201}}"#, 1), (#"{"items":[]}"#, 2),
                                 (#"{"items":[{"index":{"status":201}}],"items":[]}"#, 1), (#"{"items":[{"index":{}}]}"#, 1),
                                 (#"{"items":[{"index":{"status":"201"}}]}"#, 1), (#"{"items":[{"index":5}]}"#, 1)] {
            #expect(Array(body.utf8).withUnsafeBytes { BulkResponse.scan($0, expectedItems: expected) } == nil, "\(body)")
        }
    }
}
