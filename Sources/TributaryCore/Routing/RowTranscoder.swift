/// Writes a row object from its JSON bytes into a document, converting the
/// logical-typed columns its `RowPlan` names and copying the rest.
///
/// Produces exactly the bytes `JSONWriter` writes for the same row after
/// `RowPlan.apply`: numbers, literals and strings without escapes are
/// copied as they are (their compact form is their text), anything else is
/// parsed and rewritten. Every byte is validated on the way (`JSONValidator`).
///
/// `writeMembers` returns `nil` — and the caller takes the general path — for
/// anything the general path treats specially or reports: a column whose
/// name has an escape or starts with `_`, Debezium's unavailable-value
/// placeholder (TOAST), a converter error, a converted column that appears
/// twice, invalid JSON.
struct RowTranscoder {
    let input: JSONValidator
    let plan: RowPlan
    let options: LogicalTypeOptions
    /// Containers open around the row's members, the row itself included.
    let depth: Int
    /// Which plan entries were used, one bit each (a second use means a
    /// duplicate column); entries past the 64th take the general path.
    private var used: UInt64 = 0
    /// Decoded string content, reused (`JSONValidator.compactValue`, placeholder checks).
    var scratch: [UInt8] = []

    init(input: JSONValidator, plan: RowPlan, options: LogicalTypeOptions, depth: Int) {
        self.input = input
        self.plan = plan
        self.options = options
        self.depth = depth
    }

    /// Writes `{` and the members of the row object opening at `start`,
    /// without the closing brace: the caller adds members after them and
    /// closes the object with `finish`. Returns the offset after the row's
    /// closing brace and how many members were written, or `nil` when the
    /// general path must decide.
    ///
    /// The output is the input minus whitespace, with converted values and
    /// escaped strings rewritten, so the unchanged stretches between them
    /// (names, separators, copied values) are copied in runs from `pending`,
    /// the first input byte not yet written.
    mutating func writeMembers(ofRowAt start: Int, into writer: inout JSONWriter) -> (end: Int, count: Int)? {
        let bytes = input.input
        var pending = start  // the row's `{` opens the first run
        var cursor = input.dropSpace(start + 1, pending: &pending, into: &writer)
        guard cursor < bytes.count else { return nil }
        var position = 0
        if bytes[cursor] != UInt8(ascii: "}") {
            while true {
                guard cursor < bytes.count, bytes[cursor] == UInt8(ascii: "\""), let name = input.skipString(cursor), !name.escaped,
                    name.end - cursor > 2, bytes[cursor + 1] != UInt8(ascii: "_")
                else { return nil }
                let nameBytes = UnsafeBufferPointer(rebasing: bytes[(cursor + 1)..<(name.end - 1)])
                cursor = input.dropSpace(name.end, pending: &pending, into: &writer)
                guard cursor < bytes.count, bytes[cursor] == UInt8(ascii: ":") else { return nil }
                let start = input.dropSpace(cursor + 1, pending: &pending, into: &writer)
                let end: Int?
                if let entry = plan.entryIndex(named: UnsafeRawBufferPointer(nameBytes), at: position) {
                    guard entry < 64, used & (1 << UInt64(entry)) == 0 else { return nil }
                    used |= 1 << UInt64(entry)
                    input.flush(pending..<start, into: &writer)
                    end = writeConverted(plan.entries[entry], from: start, into: &writer)
                    pending = end ?? pending
                } else {
                    end = copyValue(from: start, pending: &pending, into: &writer)
                }
                guard let end else { return nil }
                position += 1
                cursor = input.dropSpace(end, pending: &pending, into: &writer)
                guard cursor < bytes.count else { return nil }
                if bytes[cursor] == UInt8(ascii: "}") { break }
                guard bytes[cursor] == UInt8(ascii: ",") else { return nil }
                cursor = input.dropSpace(cursor + 1, pending: &pending, into: &writer)
            }
        }
        input.flush(pending..<cursor, into: &writer)  // up to the closing brace, which `finish` writes
        return (cursor + 1, position)
    }

    /// Closes a row begun by `writeMembers` (`count` members), after the
    /// members of `extra`, whose names the caller guarantees no column has.
    static func finish(count: Int, appending extra: JSONObject, into writer: inout JSONWriter) {
        var position = count
        for member in extra {
            if position > 0 { writer.bytes.append(UInt8(ascii: ",")) }
            writer.writeString(member.key)
            writer.bytes.append(UInt8(ascii: ":"))
            writer.write(member.value)
            position += 1
        }
        writer.bytes.append(UInt8(ascii: "}"))
    }

    /// Validates the value at `start`, to be written unchanged in meaning and
    /// compact in form (see `JSONValidator.writeCompact`), as part of the
    /// current run from `pending`; the value's end, or `nil` for invalid JSON
    /// or a value `UnavailableValue.isUnavailable` flags.
    private mutating func copyValue(from start: Int, pending: inout Int, into writer: inout JSONWriter) -> Int? {
        let bytes = input.input
        guard start < bytes.count else { return nil }
        switch bytes[start] {
        case UInt8(ascii: "\""):
            guard let string = input.skipString(start), !isPlaceholder(start..<string.end, escaped: string.escaped) else { return nil }
            if string.escaped {
                input.flush(pending..<start, into: &writer)
                input.writeString(start..<string.end, escaped: true, into: &writer, scratch: &scratch)
                pending = string.end
            }
            return string.end
        case UInt8(ascii: "["):
            guard !arrayHoldsPlaceholder(at: start) else { return nil }
            return input.compactValue(start, depth: depth, pending: &pending, into: &writer, scratch: &scratch)
        default:
            return input.compactValue(start, depth: depth, pending: &pending, into: &writer, scratch: &scratch)
        }
    }

    /// Whether the valid string at `range` is the unavailable-value placeholder.
    private mutating func isPlaceholder(_ range: Range<Int>, escaped: Bool) -> Bool {
        let bytes = input.input
        guard escaped else {
            return UnavailableValue.isPlaceholder(UnsafeBufferPointer(rebasing: bytes[(range.lowerBound + 1)..<(range.upperBound - 1)]))
        }
        scratch.removeAll(keepingCapacity: true)
        input.decodeString(range, into: &scratch)
        return scratch.withUnsafeBufferPointer { UnavailableValue.isPlaceholder($0) }
    }

    /// `UnavailableValue.isUnavailable` of the array at `start`: its first
    /// element is a string and some string element is the placeholder.
    /// Invalid arrays answer `false` and fail when written.
    private mutating func arrayHoldsPlaceholder(at start: Int) -> Bool {
        let bytes = input.input
        var cursor = input.skipSpace(start + 1)
        guard cursor < bytes.count, bytes[cursor] == UInt8(ascii: "\"") else { return false }
        while cursor < bytes.count {
            let end: Int
            if bytes[cursor] == UInt8(ascii: "\"") {
                guard let string = input.skipString(cursor) else { return false }
                if isPlaceholder(cursor..<string.end, escaped: string.escaped) { return true }
                end = string.end
            } else {
                guard let skipped = input.skipValue(cursor, depth: depth + 1) else { return false }
                end = skipped
            }
            cursor = input.skipSpace(end)
            guard cursor < bytes.count, bytes[cursor] == UInt8(ascii: ",") else { return false }
            cursor = input.skipSpace(cursor + 1)
        }
        return false
    }

    /// Converts the value at `start` with `entry`'s converter and writes it.
    private mutating func writeConverted(_ entry: RowPlan.Entry, from start: Int, into writer: inout JSONWriter) -> Int? {
        if case .json = entry.converter, start < input.input.count, input.input[start] == UInt8(ascii: "\"") {
            return writeEmbeddedJSON(from: start, into: &writer)
        }
        if let end = writeScalar(entry.converter, from: start, into: &writer) { return end }
        guard let end = input.skipValue(start, depth: depth), let value = input.value(in: start..<end, depth: depth),
            !UnavailableValue.isUnavailable(value),
            let converted = try? entry.converter.apply(value, options: options, field: entry.name)
        else { return nil }
        writer.write(converted)
        return end
    }

    /// `io.debezium.data.Json`: the JSON text inside the string at `start`,
    /// written compactly; the string itself when its text is not JSON (as
    /// `ValueConverter.json` does, which parses with default limits).
    private mutating func writeEmbeddedJSON(from start: Int, into writer: inout JSONWriter) -> Int? {
        // The decoded text is no longer than the rest of the record; memory
        // that is only reserved costs nothing until it is written.
        let room = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: input.input.count - start)
        defer { room.deallocate() }
        guard let base = room.baseAddress else { return nil }
        // The common shape in one pass; everything else decoded, then compacted.
        if let (stringEnd, count) = input.writeEmbeddedCompact(stringAt: start, embedded: JSONLimits(), to: base) {
            writer.bytes.append(contentsOf: UnsafeBufferPointer(rebasing: room[0..<count]))
            return stringEnd
        }
        guard let (stringEnd, count) = input.decodeString(validating: start, to: base) else { return nil }
        let text = UnsafeBufferPointer(rebasing: room[0..<count])
        guard !UnavailableValue.isPlaceholder(text) else { return nil }
        let mark = writer.bytes.count
        let embedded = JSONValidator(text, limits: JSONLimits())
        let written = embedded.writeCompact(embedded.skipSpace(0), depth: 0, into: &writer, scratch: &scratch)
            .map { embedded.skipSpace($0) == text.count } ?? false
        if !written {
            writer.bytes.removeSubrange(mark...)
            writer.writeString(utf8: text)
        }
        return stringEnd
    }
}

extension UnavailableValue {
    /// Whether a string's raw content (no escapes) is the placeholder.
    static func isPlaceholder(_ content: UnsafeBufferPointer<UInt8>) -> Bool {
        guard content.count == 28 || content.count == 40 else { return false }
        return content.elementsEqual(placeholder.utf8) || content.elementsEqual(base64Placeholder.utf8)
    }
}
