/// Reads a `_bulk` response without building it as a `JSONValue` tree: a
/// response names every item's action, status, result and error, and a sink
/// reads thousands of items a second. The bytes are validated as they are
/// walked (`JSONValidator`); members the sink does not need are skipped.
///
/// Returns exactly what the tree parse returns, or `nil` — for invalid JSON,
/// a missing or repeated `items`, an item of an unexpected shape, the wrong
/// item count — and `parse` then takes the tree path, which reports why.
extension BulkResponse {
    static func scan(_ body: UnsafeRawBufferPointer, expectedItems: Int) -> BulkResponse? {
        var reader = ResponseReader(JSONValidator(body, limits: JSONLimits()))
        var items: [Item]?
        var errors = false
        guard let end = reader.members(of: reader.input.skipSpace(0), depth: 0, { reader, name, start in
            if ByteEquality.equal(name, "items") {
                guard items == nil, let (parsed, end) = reader.items(at: start, expected: expectedItems) else { return nil }
                items = parsed
                return end
            }
            if ByteEquality.equal(name, "errors") {
                guard let end = reader.input.skipValue(start, depth: 1) else { return nil }
                errors = reader.input.input[start] == UInt8(ascii: "t")  // `boolValue ?? false`
                return end
            }
            return reader.input.skipValue(start, depth: 1)
        }), reader.input.skipSpace(end) == body.count, let items else { return nil }
        return BulkResponse(items: items, errors: errors)
    }
}

/// The walking state of `BulkResponse.scan`.
private struct ResponseReader {
    let input: JSONValidator
    /// Decoded escaped strings.
    var scratch: [UInt8] = []

    init(_ input: JSONValidator) { self.input = input }

    /// Calls `member` with each member name (its decoded UTF-8, valid only
    /// during the call) and value start of the object at `start`; `member`
    /// returns the value's end. The object's end, or `nil`.
    ///
    /// Names stay bytes: an item has a dozen members, of which the sink reads
    /// three, and building each name as a `String` was most of the scan.
    mutating func members(
        of start: Int, depth: Int, _ member: (inout ResponseReader, UnsafeRawBufferPointer, Int) -> Int?
    ) -> Int? {
        let bytes = input.input
        guard start < bytes.count, bytes[start] == UInt8(ascii: "{"), depth < input.limits.maxDepth else { return nil }
        var cursor = input.skipSpace(start + 1)
        guard cursor < bytes.count else { return nil }
        if bytes[cursor] == UInt8(ascii: "}") { return cursor + 1 }
        while true {
            guard cursor < bytes.count, bytes[cursor] == UInt8(ascii: "\""), let name = input.skipString(cursor) else { return nil }
            let nameStart = cursor + 1
            cursor = input.skipSpace(name.end)
            guard cursor < bytes.count, bytes[cursor] == UInt8(ascii: ":") else { return nil }
            let valueStart = input.skipSpace(cursor + 1)
            let valueEnd: Int?
            if name.escaped {
                var decoded: [UInt8] = []
                input.decodeString((nameStart - 1)..<name.end, into: &decoded)
                valueEnd = decoded.withUnsafeBytes { member(&self, $0, valueStart) }
            } else {
                valueEnd = member(&self, UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(bytes)[nameStart..<(name.end - 1)]), valueStart)
            }
            guard let end = valueEnd else { return nil }
            cursor = input.skipSpace(end)
            guard cursor < bytes.count else { return nil }
            if bytes[cursor] == UInt8(ascii: "}") { return cursor + 1 }
            guard bytes[cursor] == UInt8(ascii: ",") else { return nil }
            cursor = input.skipSpace(cursor + 1)
        }
    }

    /// The `items` array at `start`, which must hold `expected` items.
    mutating func items(at start: Int, expected: Int) -> ([BulkResponse.Item], Int)? {
        let bytes = input.input
        guard start < bytes.count, bytes[start] == UInt8(ascii: "["), 1 < input.limits.maxDepth else { return nil }
        var items: [BulkResponse.Item] = []
        items.reserveCapacity(expected)
        var cursor = input.skipSpace(start + 1)
        guard cursor < bytes.count else { return nil }
        if bytes[cursor] == UInt8(ascii: "]") { return expected == 0 ? (items, cursor + 1) : nil }
        while true {
            guard items.count < expected, let (item, end) = item(at: cursor) else { return nil }
            items.append(item)
            cursor = input.skipSpace(end)
            guard cursor < bytes.count else { return nil }
            if bytes[cursor] == UInt8(ascii: "]") { return items.count == expected ? (items, cursor + 1) : nil }
            guard bytes[cursor] == UInt8(ascii: ",") else { return nil }
            cursor = input.skipSpace(cursor + 1)
        }
    }

    /// One `{"<action>": {"status": …, "result": …, "error": …, …}}`.
    private mutating func item(at start: Int) -> (BulkResponse.Item, Int)? {
        var item: BulkResponse.Item?
        guard let end = members(of: start, depth: 2, { reader, action, valueStart in
            guard item == nil else { return reader.input.skipValue(valueStart, depth: 3) }  // only the first member counts
            guard let (parsed, end) = reader.itemBody(at: valueStart, action: action) else { return nil }
            item = parsed
            return end
        }), let item else { return nil }
        return (item, end)
    }

    private mutating func itemBody(at start: Int, action name: UnsafeRawBufferPointer) -> (BulkResponse.Item, Int)? {
        let action: BulkItem.Action =
            ByteEquality.equal(name, "delete") ? .delete : ByteEquality.equal(name, "update") ? .update : .index
        var status: Int64?
        var result: String?
        var errorType: String?
        var errorReason: String?
        var errorText: String?
        guard let end = members(of: start, depth: 3, { reader, name, valueStart in
            let bytes = reader.input.input
            guard let end = reader.input.skipValue(valueStart, depth: 4) else { return nil }
            if ByteEquality.equal(name, "status") {
                status = reader.input.integerLiteral(at: valueStart)?.value  // `numberValue?.int64`
            } else if ByteEquality.equal(name, "result") {
                result = bytes[valueStart] == UInt8(ascii: "\"") ? reader.string(at: valueStart)?.text : nil
            } else if ByteEquality.equal(name, "error") {
                (errorType, errorReason, errorText) = (nil, nil, nil)
                if bytes[valueStart] == UInt8(ascii: "\"") {
                    errorText = reader.string(at: valueStart)?.text
                } else if bytes[valueStart] == UInt8(ascii: "{") {
                    _ = reader.members(of: valueStart, depth: 4) { reader, name, start in
                        let isString = reader.input.input[start] == UInt8(ascii: "\"")
                        if ByteEquality.equal(name, "type") {
                            errorType = isString ? reader.string(at: start)?.text : nil
                        } else if ByteEquality.equal(name, "reason") {
                            errorReason = isString ? reader.string(at: start)?.text : nil
                        }
                        return reader.input.skipValue(start, depth: 5)
                    }
                }
            }
            return end
        }), let status else { return nil }
        return (BulkResponse.Item(action: action, status: Int(status), errorType: errorType, errorReason: errorReason ?? errorText,
                                  result: result), end)
    }

    /// The decoded text of the valid string at `start`, and its end.
    mutating func string(at start: Int) -> (text: String, end: Int)? {
        guard let string = input.skipString(start) else { return nil }
        let bytes = input.input
        guard string.escaped else {
            return (JSONByteParser.makeString(UnsafeBufferPointer(rebasing: bytes[(start + 1)..<(string.end - 1)])), string.end)
        }
        scratch.removeAll(keepingCapacity: true)
        input.decodeString(start..<string.end, into: &scratch)
        return (scratch.withUnsafeBufferPointer { JSONByteParser.makeString($0) }, string.end)
    }
}
