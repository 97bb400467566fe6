/// The streaming route's document id: read from the key's bytes in place.
///
/// A Debezium key is small, but parsing it into a tree (and, with
/// JsonConverter schemas, wrapping the cached schema around it) cost about a
/// tenth of the routing time. The common key — a schema seen before (or
/// none) and a payload object of number, unescaped-string or boolean
/// columns that need no logical-type conversion — yields its id directly.
///
/// Contract: returns either `nil` or exactly the id
/// `DocumentID.make(from: decodeKey(key, mongo: false), delimiter:)` gives;
/// anything else (escapes, nulls, nested values, duplicate or reserved column
/// names, converted key columns, a MongoDB-looking id, an unknown schema)
/// returns `nil`, and the caller takes the decoding path. The differential
/// tests hold the two together.
extension DocumentRouter {
    func streamingDocumentID(key: [UInt8]?) -> String? {
        guard let key else { return nil }
        return key.withUnsafeBytes { streamingDocumentID(keyBytes: $0) }
    }

    /// `streamingDocumentID` over key bytes read in place (nil: no key).
    func streamingDocumentID(keyBytes: UnsafeRawBufferPointer?) -> String? {
        guard let raw = keyBytes, raw.count > 0 else { return nil }
        if let maxInputBytes = decoder.limits.maxInputBytes, raw.count > maxInputBytes { return nil }
        let payload: Range<Int>
        if let hit = decoder.schemas.matchLast(raw) {
            // `decodeKey` converts key columns by the schema's plan: take
            // only keys whose schema plans no conversion.
            guard case .object(let schema) = hit.schema else { return nil }
            if schema["fields"] != nil, !plans.plan(for: schema).isEmpty { return nil }
            payload = hit.payload
        } else {
            // A bare key object; one that looks like a JsonConverter
            // wrapper (a `schema` or `payload` member) is rejected below.
            payload = 0..<raw.count
        }
        return documentID(columnsIn: payload, of: raw)
    }

    /// The id of the flat key object in `range`, or `nil`.
    private func documentID(columnsIn range: Range<Int>, of raw: UnsafeRawBufferPointer) -> String? {
        let scan = JSONValidator(raw, limits: decoder.limits)
        if let id = singleColumnID(in: range, scan: scan) { return id }
        var cursor = scan.skipSpace(range.lowerBound)
        guard cursor < range.upperBound, raw[cursor] == UInt8(ascii: "{") else { return nil }
        var columns: [(name: String, value: JSONValue)] = []
        cursor = scan.skipSpace(cursor + 1)
        while true {
            guard cursor < range.upperBound, raw[cursor] == UInt8(ascii: "\""), let name = scan.skipString(cursor), !name.escaped
            else { return nil }
            let nameBytes = UnsafeBufferPointer(rebasing: scan.input[(cursor + 1)..<(name.end - 1)])
            guard !Self.isWrapperMember(UnsafeRawBufferPointer(nameBytes)) else { return nil }
            let columnName = JSONByteParser.makeString(nameBytes)
            guard !columns.contains(where: { $0.name == columnName }) else { return nil }
            cursor = scan.skipSpace(name.end)
            guard cursor < range.upperBound, raw[cursor] == UInt8(ascii: ":") else { return nil }
            let start = scan.skipSpace(cursor + 1)
            guard start < range.upperBound, let (value, end) = scalar(at: start, scan: scan), end <= range.upperBound else { return nil }
            columns.append((name: columnName, value: value))
            cursor = scan.skipSpace(end)
            guard cursor < range.upperBound else { return nil }
            if raw[cursor] == UInt8(ascii: "}") { break }
            guard raw[cursor] == UInt8(ascii: ",") else { return nil }
            cursor = scan.skipSpace(cursor + 1)
        }
        guard scan.skipSpace(cursor + 1) == range.upperBound else { return nil }
        // `decodeKey` rewrites a MongoDB document key; leave it to that path.
        if columns.count == 1, columns[0].name == "id", case .string(let text) = columns[0].value, text.hasPrefix("{\"$") {
            return nil
        }
        return try? DocumentID.make(from: RecordKey(columns: columns), delimiter: mapping.keyDelimiter)
    }

    /// The id of a key object of exactly one column — a number, an
    /// unescaped string or a boolean — taken from its bytes: the column's
    /// text, as `DocumentID.make` spells it for one column. `nil` for any
    /// other key (and for an id `make` rejects), which the general loop in
    /// `documentID(columnsIn:of:)` then decides.
    private func singleColumnID(in range: Range<Int>, scan: JSONValidator) -> String? {
        let raw = scan.input
        var cursor = scan.skipSpace(range.lowerBound)
        guard cursor < range.upperBound, raw[cursor] == UInt8(ascii: "{") else { return nil }
        cursor = scan.skipSpace(cursor + 1)
        guard cursor < range.upperBound, raw[cursor] == UInt8(ascii: "\""), let name = scan.skipString(cursor), !name.escaped
        else { return nil }
        guard !Self.isWrapperMember(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: raw[(cursor + 1)..<(name.end - 1)])))
        else { return nil }
        cursor = scan.skipSpace(name.end)
        guard cursor < range.upperBound, raw[cursor] == UInt8(ascii: ":") else { return nil }
        let start = scan.skipSpace(cursor + 1)
        guard start < range.upperBound else { return nil }
        let text: Range<Int>
        let end: Int
        switch raw[start] {
        case UInt8(ascii: "\""):
            guard let string = scan.skipString(start), !string.escaped else { return nil }
            // Unescaped, so never MongoDB's `{\"$oid\"…}` id, which `decodeKey` rewrites.
            text = (start + 1)..<(string.end - 1)
            end = string.end
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "t"), UInt8(ascii: "f"):
            guard let skipped = scan.skipValue(start, depth: 1) else { return nil }
            text = start..<skipped
            end = skipped
        default:
            return nil
        }
        cursor = scan.skipSpace(end)
        guard cursor < range.upperBound, raw[cursor] == UInt8(ascii: "}"), scan.skipSpace(cursor + 1) == range.upperBound,
            !text.isEmpty, text.count <= DocumentID.maxBytes
        else { return nil }
        return JSONByteParser.makeString(UnsafeBufferPointer(rebasing: raw[text]))
    }

    /// A number, unescaped string or boolean at `start`, as `JSONParser`
    /// would give it, and its end; `nil` for anything else.
    private func scalar(at start: Int, scan: JSONValidator) -> (JSONValue, Int)? {
        let end: Int
        switch scan.input[start] {
        case UInt8(ascii: "\""):
            guard let string = scan.skipString(start), !string.escaped else { return nil }
            end = string.end
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "t"), UInt8(ascii: "f"):
            guard let skipped = scan.skipValue(start, depth: 1) else { return nil }
            end = skipped
        default:
            return nil
        }
        return scan.value(in: start..<end, depth: 1).map { ($0, end) }
    }

    private static func isWrapperMember(_ name: UnsafeRawBufferPointer) -> Bool {
        ByteEquality.equal(name, "schema") || ByteEquality.equal(name, "payload")
    }
}
