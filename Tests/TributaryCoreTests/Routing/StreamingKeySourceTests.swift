import Testing

@testable import TributaryCore

/// The streaming route reads the key's document id and the `source` members
/// in place; both must agree with the decoding path they replace.
@Suite("Keys and source blocks read in place agree with the decoders")
struct StreamingKeySourceTests {
    static let keySchema = #"{"type":"struct","fields":[{"type":"int32","optional":false,"field":"id"}],"optional":false,"name":"k"}"#
    static let compositeSchema =
        #"{"type":"struct","fields":[{"type":"string","optional":false,"field":"region"},{"type":"int64","optional":false,"field":"order_id"}],"optional":false,"name":"k2"}"#
    static let decimalSchema =
        #"{"type":"struct","fields":[{"type":"bytes","optional":false,"name":"org.apache.kafka.connect.data.Decimal","version":1,"parameters":{"scale":"2"},"field":"id"}],"optional":false,"name":"k3"}"#

    static func wrapped(_ schema: String, _ payload: String) -> String { #"{"schema":\#(schema),"payload":\#(payload)}"# }

    /// The id the decoding path gives, or `nil` when it gives none or throws.
    static func decodedID(_ router: DocumentRouter, _ key: [UInt8]) -> String? {
        guard let recordKey = (try? router.decodeKey(key, mongo: false)) ?? nil else { return nil }
        return try? DocumentID.make(from: recordKey, delimiter: router.mapping.keyDelimiter)
    }

    /// Checks the contract for one key; returns whether it was read in place.
    @discardableResult
    static func checkKey(_ router: DocumentRouter, _ key: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        // The decoder first: it caches a wrapped key's schema, as routing a
        // partition's first record does.
        let expected = decodedID(router, key)
        guard let fast = router.streamingDocumentID(key: key) else { return false }
        #expect(fast == expected, "key \(String(decoding: key, as: UTF8.self))", sourceLocation: sourceLocation)
        return true
    }

    @Test("common keys are read in place, the rest step aside")
    func keys() {
        let router = DocumentRouter()
        let readInPlace = [
            Self.wrapped(Self.keySchema, #"{"id":1001}"#),
            Self.wrapped(Self.keySchema, #"{ "id" : -7 }"#),
            Self.wrapped(Self.compositeSchema, #"{"region":"eu|west","order_id":42}"#),
            Self.wrapped(Self.compositeSchema, #"{"region":"ab","order_id":1.5e3}"#),
            #"{"id":1001}"#,
            #"{"sku":"ab-7","active":true}"#,
            #" {"id":"é漢字"} "#,
            #"{"active":false}"#,
            #"{ "id" : true }"#,
            Self.wrapped(Self.keySchema, #"{"id":"\#(String(repeating: "x", count: DocumentID.maxBytes))"}"#),
        ]
        for key in readInPlace {
            #expect(Self.checkKey(router, Array(key.utf8)), "expected \(key) to be read in place")
        }
        let stepAside = [
            Self.wrapped(Self.decimalSchema, #"{"id":"AQ=="}"#),  // converted by the key schema's plan
            Self.wrapped(Self.keySchema, #"{"id":null}"#),
            Self.wrapped(Self.keySchema, #"{}"#),
            Self.wrapped(Self.keySchema, #"{"i\u0064":1}"#),
            Self.wrapped(Self.keySchema, #"{"id":"a\"b"}"#),
            #"{"id":{"$oid":"5f1"}}"#,
            #"{"id":"{\"$oid\":\"5f1\"}"}"#,
            #"{"id":1,"id":2}"#,
            #"{"payload":{"id":1}}"#,
            #"{"schema":null,"payload":{"id":1}}"#,
            #"{"id":[1]}"#,
            #"{"id":""}"#,  // an empty id: the decoding path reports it
            Self.wrapped(Self.keySchema, #"{"id":"\#(String(repeating: "x", count: DocumentID.maxBytes + 1))"}"#),
            #"{"id":1} x"#, #"{"id":1,}"#, #"{"id":tru}"#, #"{"id":-}"#,
            #"[1]"#, #"17"#, #"{"id":1"#, #"{"id":01}"#, "",
        ]
        for key in stepAside {
            #expect(!Self.checkKey(router, Array(key.utf8)), "expected \(key) to take the decoding path")
        }
    }

    @Test("ids agree under a custom delimiter")
    func delimiter() {
        let router = DocumentRouter(mapping: DocumentMapping(keyDelimiter: "::"))
        #expect(Self.checkKey(router, Array(Self.wrapped(Self.compositeSchema, #"{"region":"a::b\\","order_id":9}"#).utf8)) == false)
        #expect(Self.checkKey(router, Array(Self.wrapped(Self.compositeSchema, #"{"region":"a::b","order_id":9}"#).utf8)))
        #expect(router.streamingDocumentID(key: Array(#"{"a":"x::y","b":2}"#.utf8)) == #"x\::y::2"#)
    }

    @Test("random byte mutations of keys never make the id differ")
    func keyMutations() {
        var generator = SeededGenerator(seed: 0x5EED_0200)
        let seeds = [
            Self.wrapped(Self.keySchema, #"{"id":1001}"#), Self.wrapped(Self.compositeSchema, #"{"region":"eu","order_id":42}"#),
            #"{"id":1001,"tenant":"acme"}"#, #"{"flag":false,"name":"x|y"}"#,
        ].map { Array($0.utf8) }
        let alphabet = Array(#"{}[]",:\u0\/ -+.eE1tfn$|"#.utf8) + [0x00, 0x1F, 0x80, 0xC3, 0xFF]
        let routers = [DocumentRouter(), DocumentRouter(mapping: DocumentMapping(keyDelimiter: "/"))]
        var readInPlace = 0
        for round in 0..<8_000 {
            var bytes = seeds[round % seeds.count]
            bytes.mutate(from: alphabet, using: &generator)
            if Self.checkKey(routers[round % 2], bytes) { readInPlace += 1 }
        }
        #expect(readInPlace > 1_000, "only \(readInPlace) mutated keys were read in place")
    }

    static let sources = [
        #"{"version":"2.5.4.Final","connector":"postgresql","name":"pg","ts_ms":1700000000002,"snapshot":"false","db":"inventory","sequence":"[\"24001021\",\"24001029\"]","schema":"public","table":"products","txId":502,"lsn":24001029,"xmin":null}"#,
        #"{"version":"2.5.4.Final","connector":"mysql","name":"m","ts_ms":1,"snapshot":"false","db":"inventory","table":"customers","server_id":223344,"file":"mysql-bin.000003","pos":484,"row":0,"thread":7,"query":null}"#,
        #"{"connector":"sqlserver","db":"testDB","schema":"dbo","table":"customers","change_lsn":"00000027:00000758:0005","commit_lsn":"00000027:00000758:0005","event_serial_no":1}"#,
        #"{"connector":"oracle","scn":"1513734","commit_scn":"1513754","table":"T","extra":{"nested":[1,{"lsn":5}]}}"#,
        #" { "lsn" : 5 , "lsn" : 6 , "ts_ms" : -0.5e1 , "table" : "a\u00e9" } "#,
    ].map { Array($0.utf8) }

    /// Checks `sourceMembers` against the full parse of `bytes`; returns whether it read them.
    @discardableResult
    static func checkSource(_ router: DocumentRouter, _ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        let full = try? JSONParser.parse(bytes, limits: router.decoder.limits)
        let read: (source: JSONObject, end: Int)? = bytes.withUnsafeBytes { raw in
            let start = JSONValidator(raw, limits: router.decoder.limits).skipSpace(0)
            guard let found = router.sourceMembers(raw, at: start, limit: raw.count, depth: 0) else { return nil }
            guard let object = found.source.object(in: raw, limits: router.decoder.limits) else {
                Issue.record("a validated source failed to build: \(String(decoding: bytes, as: UTF8.self))", sourceLocation: sourceLocation)
                return nil
            }
            return (object, found.end)
        }
        guard let read else { return false }
        // Accepted means: a valid object, with only whitespace after it.
        let trailing = bytes[read.end...].allSatisfy { [0x20, 0x0A, 0x0D, 0x09].contains($0) }
        guard trailing else { return true }  // the streaming route checks what follows itself
        guard case .object(let object)? = full else {
            Issue.record("read a source the parser rejects: \(String(decoding: bytes, as: UTF8.self))", sourceLocation: sourceLocation)
            return true
        }
        for name in SourceMember.read {
            #expect(read.source[name] == object[name], "source.\(name) of \(String(decoding: bytes, as: UTF8.self))",
                    sourceLocation: sourceLocation)
        }
        return true
    }

    @Test("source members read in place equal the full parse's, for every name routing reads")
    func sourceSeeds() {
        let router = DocumentRouter()
        for source in Self.sources {
            #expect(Self.checkSource(router, source), "\(String(decoding: source, as: UTF8.self))")
        }
        #expect(!Self.checkSource(router, Array(#"{"t\u0061ble":"x"}"#.utf8)))  // escaped names: the general path
    }

    @Test("the source names read are exactly SourceMember.read")
    func sourceNames() {
        // The slots the streaming route reads by number, and room for all in `SourceSlots`.
        #expect(SourceMember.read[SourceMember.connector] == "connector")
        #expect(SourceMember.read[SourceMember.lsn] == "lsn")
        #expect(SourceMember.read[SourceMember.table] == "table")
        #expect(SourceMember.read.count <= 16)
        for name in SourceMember.read {
            #expect(Array(name.utf8).withUnsafeBytes { SourceMember.slot($0).map { SourceMember.read[$0] } } == name)
            // One byte changed or dropped, or one added: never read.
            var changed = Array(name.utf8)
            for index in changed.indices {
                let original = changed[index]
                changed[index] = original ^ 0x20
                #expect(changed.withUnsafeBytes { SourceMember.slot($0).map { SourceMember.read[$0] } } == nil, "\(name) with byte \(index) changed")
                changed[index] = original
            }
            #expect(Array(name.utf8.dropLast()).withUnsafeBytes { SourceMember.slot($0).map { SourceMember.read[$0] } } == nil)
            #expect(Array((name + "x").utf8).withUnsafeBytes { SourceMember.slot($0).map { SourceMember.read[$0] } } == nil)
        }
        // Members routing never reads, of every connector's source block.
        for name in ["version", "name", "snapshot", "sequence", "txId", "xmin", "gtid", "server_id", "thread", "query",
                     "rs", "h", "tord", "", "LSN", "Table"] {
            #expect(Array(name.utf8).withUnsafeBytes { SourceMember.slot($0).map { SourceMember.read[$0] } } == nil, "\(name)")
        }
    }

    @Test("random byte mutations of source blocks never make a lookup differ")
    func sourceMutations() {
        var generator = SeededGenerator(seed: 0x5EED_0300)
        let alphabet = Array(#"{}[]",:\u0\/ -+.eE1tfn"#.utf8) + [0x00, 0x1F, 0x80, 0xC3, 0xFF]
        let routers = [
            DocumentRouter(), DocumentRouter(decoder: EnvelopeDecoder(limits: JSONLimits(maxDepth: 3, maxStringBytes: 12))),
        ]
        var read = 0
        for round in 0..<8_000 {
            var bytes = Self.sources[round % Self.sources.count]
            bytes.mutate(from: alphabet, using: &generator)
            if Self.checkSource(routers[round % 2], bytes) { read += 1 }
        }
        #expect(read > 1_000, "only \(read) mutated sources were read")
    }
}
