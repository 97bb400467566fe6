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
