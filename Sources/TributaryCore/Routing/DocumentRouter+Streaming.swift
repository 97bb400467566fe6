/// The streaming route: the common record — an insert, snapshot read,
/// update or hard delete of a Debezium envelope — goes from the record's
/// bytes to its bulk item without building the row as a `JSONValue` tree.
///
/// The envelope's members are located in place; of `source` only where the
/// members routing reads lie is noted (`sourceMembers`), and the common
/// record's index and version are read from those bytes (`commonTarget`);
/// the `after` row is transcoded where it is found by `RowTranscoder`, which
/// copies values that need no change and converts only the logical-typed
/// columns, and goes into the bulk item behind the action line.
///
/// Contract: for any record, `routeStreaming` returns either `nil` or exactly
/// the decision `route` would return through the general path (the same
/// bulk bytes), and it never accepts a record the general path rejects.
/// Anything unusual — soft deletes, truncates, TOASTed or `_`-prefixed columns,
/// MongoDB, flattened rows, escapes in member names, a value that fails
/// validation, any error — returns `nil`, and the general path decides (and
/// reports errors with their exact cause). The differential tests hold the
/// two paths together.
extension DocumentRouter {
    /// Whether this router's settings let records take the streaming route:
    /// no column selection or renaming, no `routing.field`, no version from a
    /// row column, metadata names that cannot collide with a column.
    var streamingEligible: Bool {
        guard decoder.format != .flattened, mapping.routingField == nil, !mapping.rewritesColumns else { return false }
        if case .field = versionSource { return false }
        if !mapping.metadataFields.isEmpty {
            guard mapping.metadataPrefix.utf8.first == UInt8(ascii: "_") else { return false }
            let fields = mapping.metadataFields
            for index in fields.indices where fields[(index + 1)...].contains(fields[index]) { return false }
        }
        return true
    }

    /// The decision for a record on the streaming route, or `nil` when the
    /// general path must decide (see the extension's contract).
    func routeStreaming(topic: String, offset: Int64, key: [UInt8]?, value: [UInt8]) -> Decision? {
        value.withUnsafeBytes { raw in
            guard let key else { return routeStreaming(topic: topic, offset: offset, keyBytes: nil, raw: raw) }
            return key.withUnsafeBytes { keyBytes in routeStreaming(topic: topic, offset: offset, keyBytes: keyBytes, raw: raw) }
        }
    }

    /// `routeStreaming` over bytes the caller keeps valid during the call
    /// (`keyBytes` nil for a null key).
    func routeStreaming(topic: String, offset: Int64, keyBytes: UnsafeRawBufferPointer?, raw: UnsafeRawBufferPointer) -> Decision? {
        if let maxInputBytes = decoder.limits.maxInputBytes, raw.count > maxInputBytes { return nil }
        guard raw.count <= Int(Int32.max) else { return nil }  // `SourceSlots` keeps 32-bit offsets
        guard var envelope = locateEnvelope(raw) else { return nil }
        return routeEnvelope(&envelope, raw: raw, topic: topic, offset: offset, keyBytes: keyBytes)
    }

    /// The id through `decodeKey`, for keys `streamingDocumentID` leaves alone.
    private func decodedDocumentID(keyBytes: UnsafeRawBufferPointer?) -> String? {
        guard let recordKey = (try? decodeKey(keyBytes.map { [UInt8]($0) }, mongo: false)) ?? nil else { return nil }
        return try? DocumentID.make(from: recordKey, delimiter: mapping.keyDelimiter)
    }

    /// What `locateEnvelope` found: the parsed small parts and the row.
    struct LocatedEnvelope {
        var operation: ChangeOperation
        /// Where `source`'s members lie in the record (`sourceMembers`).
        var source: SourceSlots?
        var timestampMs: Int64?
        var schema: JSONObject?
        /// The `after` row as written into the document: `actionLineRoom`
        /// bytes of room for the action line, then `{` and its members, not
        /// yet closed (`RowTranscoder.finish`). Its buffer becomes the bulk
        /// item's. `nil` for a delete.
        var row: JSONWriter?
        /// How many members `row` holds.
        var rowMembers: Int
    }

    /// Finds the payload (behind a known or new JsonConverter schema, or the
    /// whole value without one) and its members, validating everything. The
    /// `after` row is transcoded where it is found (`RowTranscoder`
    /// validates as it copies), so its bytes are read once.
    private func locateEnvelope(_ raw: UnsafeRawBufferPointer) -> LocatedEnvelope? {
        let limits = decoder.limits
        var schema: JSONObject?
        var payload: Range<Int>
        var payloadDepth: Int  // containers around the payload object's members
        if let hit = decoder.schemas.matchLast(raw) {
            schema = hit.schema.objectValue
            payload = hit.payload
            payloadDepth = 2
        } else if let wrapper = EnvelopeScanner.scanWrapper(raw) {
            guard let parsed = try? decoder.schemas.schema(for: UnsafeRawBufferPointer(rebasing: raw[wrapper.schema]), limits: limits)
            else { return nil }
            schema = parsed.objectValue
            payload = wrapper.payload
            payloadDepth = 2
        } else {
            payload = 0..<raw.count
            payloadDepth = 1
        }
        guard limits.maxDepth > payloadDepth + 1 else { return nil }
        let scan = JSONValidator(raw, limits: limits)

        var operation: ChangeOperation?
        var row: (writer: JSONWriter, members: Int)?
        var source: SourceSlots?
        var timestampMs: Int64?
        var seen = EnvelopeMembers()
        var cursor = scan.skipSpace(payload.lowerBound)
        guard cursor < payload.upperBound, raw[cursor] == UInt8(ascii: "{") else { return nil }
        cursor = scan.skipSpace(cursor + 1)
        guard cursor < payload.upperBound, raw[cursor] != UInt8(ascii: "}") else { return nil }
        while true {
            guard cursor < payload.upperBound, raw[cursor] == UInt8(ascii: "\""), let name = scan.skipString(cursor), !name.escaped
            else { return nil }
            let member = EnvelopeMembers.member(UnsafeRawBufferPointer(rebasing: raw[(cursor + 1)..<(name.end - 1)]))
            cursor = scan.skipSpace(name.end)
            guard cursor < payload.upperBound, raw[cursor] == UInt8(ascii: ":") else { return nil }
            let start = scan.skipSpace(cursor + 1)
            guard start < payload.upperBound, seen.insert(member) else { return nil }
            let end: Int
            switch member {
            case .op:
                guard raw[start] == UInt8(ascii: "\""), let text = scan.skipString(start), !text.escaped, text.end == start + 3,
                    let op = ChangeOperation(byte: raw[start + 1]),
                    op == .create || op == .read || op == .update || op == .delete
                else { return nil }
                operation = op
                end = text.end
            case .after:
                if raw[start] == UInt8(ascii: "n") {  // a delete's `after`, checked below
                    guard let skipped = scan.skipValue(start, depth: payloadDepth) else { return nil }
                    end = skipped
                    break
                }
                guard raw[start] == UInt8(ascii: "{") else { return nil }
                var transcoder = RowTranscoder(
                    input: scan, plan: rowPlan(schema: schema), options: mapping.logicalTypes, depth: payloadDepth + 1)
                // Room in front for the action line (`routeEnvelope`), and
                // behind for the metadata members.
                var rowWriter = JSONWriter(capacity: Self.actionLineRoom + payload.upperBound - start + 384)
                rowWriter.bytes.append(contentsOf: Self.actionLineBlank)
                guard let written = transcoder.writeMembers(ofRowAt: start, into: &rowWriter), written.end <= payload.upperBound
                else { return nil }
                row = (rowWriter, written.count)
                end = written.end
            case .before:
                guard raw[start] == UInt8(ascii: "{") || raw[start] == UInt8(ascii: "n"),
                    let skipped = scan.skipValue(start, depth: payloadDepth)
                else { return nil }
                end = skipped
            case .source:
                guard let found = sourceMembers(raw, at: start, limit: payload.upperBound, depth: payloadDepth) else { return nil }
                source = found.source
                end = found.end
            case .timestamp:
                guard let skipped = scan.skipValue(start, depth: payloadDepth) else { return nil }
                timestampMs = scan.integerLiteral(at: start)?.value  // `numberValue?.int64`
                end = skipped
            case .reserved:
                return nil  // `payload`/`schema` inside a payload, or flattened-row metadata
            case .other:
                guard let skipped = scan.skipValue(start, depth: payloadDepth) else { return nil }
                end = skipped
            }
            cursor = scan.skipSpace(end)
            guard cursor < payload.upperBound else { return nil }
            if raw[cursor] == UInt8(ascii: "}") { break }
            guard raw[cursor] == UInt8(ascii: ",") else { return nil }
            cursor = scan.skipSpace(cursor + 1)
        }
        // Only whitespace may follow inside the payload's range (after it
        // comes the wrapper's closing brace, already checked by the match).
        guard scan.skipSpace(cursor + 1) >= payload.upperBound, let operation else { return nil }
        // A delete has no `after` row (null or absent); every other change has one.
        guard (operation == .delete) == (row == nil) else { return nil }
        return LocatedEnvelope(
            operation: operation, source: source, timestampMs: timestampMs, schema: schema, row: row?.writer,
            rowMembers: row?.members ?? 0)
    }

    /// The plan for the `after` row under the envelope `schema`: the row
    /// schema's, or `field.types` hints without one (as `routeChange`).
    private func rowPlan(schema: JSONObject?) -> RowPlan {
        if let schema, let plan = plans.plan(forField: "after", of: schema) { return plan }
        return mapping.fieldTypes
    }

    /// The `index` item for a located envelope in `raw`, or `nil`.
    /// Completes the envelope's row in place: the bulk item takes over its
    /// buffer.
    private func routeEnvelope(
        _ envelope: inout LocatedEnvelope, raw: UnsafeRawBufferPointer, topic: String, offset: Int64,
        keyBytes: UnsafeRawBufferPointer?
    ) -> Decision? {
        // A soft delete writes the key's columns and metadata: the general path builds that.
        if envelope.operation == .delete && deleteMode != .hard { return nil }
        let index: String
        let version: ExternalVersion?
        var metadata = JSONObject()
        if let common = commonTarget(envelope.source, raw: raw, topic: topic, offset: offset) {
            (index, version) = common
        } else {
            // Everything else reads the block as the general path does.
            var source: JSONObject?
            if let slots = envelope.source {
                guard let object = slots.object(in: raw, limits: decoder.limits) else { return nil }
                source = object
            }
            let event = ChangeEvent(
                operation: envelope.operation, source: source, timestampMs: envelope.timestampMs, schema: envelope.schema)
            guard event.connector != "mongodb", let found = try? self.index(topic: topic, source: event.source) else { return nil }
            index = found
            do {
                version = try versionSource.externalVersion(of: event, offset: offset)
            } catch {
                return nil
            }
            mapping.appendMetadata(to: &metadata, event: event, version: version)
        }
        guard let id = streamingDocumentID(keyBytes: keyBytes) ?? decodedDocumentID(keyBytes: keyBytes) else { return nil }
        guard var row = envelope.row else {
            return .write(.delete(index, id: id, version: version?.value, versionType: version?.type ?? .external))
        }
        if deleteMode == .soft { metadata["__deleted"] = .bool(false) }

        envelope.row = nil  // the item takes over the row's buffer
        // The action line is written behind the row, then moved into the
        // room `locateEnvelope` left in front of it: the item's bytes start
        // where the action line does.
        let rowEnd = row.bytes.count
        BulkItem.writeActionLine(
            into: &row, action: .index, index: index, id: id, version: version?.value,
            versionType: version?.type ?? .external, routing: nil, pipeline: pipeline)
        let start = Self.placeActionLine(in: &row.bytes, writtenFrom: rowEnd)
        RowTranscoder.finish(count: envelope.rowMembers, appending: metadata, into: &row)
        row.writeRaw("\n" as StaticString)
        return .write(
            BulkItem(
                action: .index, index: index, id: id, version: version?.value, bytes: row.bytes[start...],
                versionType: version?.type ?? .external, routing: nil))
    }

    /// Bytes left in front of a streamed row for its action line: more than
    /// the line of a typical index name, id and version (about 100 bytes).
    static let actionLineRoom = 160
    private static let actionLineBlank = [UInt8](repeating: UInt8(ascii: " "), count: actionLineRoom)

    /// Moves the action line at `bytes[lineStart...]` (written behind the
    /// row) in front of the row, which starts at `actionLineRoom`; returns
    /// where the line now starts. A line longer than the room takes the room
    /// and moves the row.
    static func placeActionLine(in bytes: inout [UInt8], writtenFrom lineStart: Int) -> Int {
        let length = bytes.count - lineStart
        guard length <= actionLineRoom else {
            let line = Array(bytes[lineStart...])
            bytes.removeLast(length)
            bytes.replaceSubrange(0..<actionLineRoom, with: line)
            return 0
        }
        let start = actionLineRoom - length
        bytes.withUnsafeMutableBufferPointer { buffer in
            // The line lies behind the row, so the two ranges never overlap.
            guard let base = buffer.baseAddress else { return }
            (base + start).update(from: base + lineStart, count: length)
        }
        bytes.removeLast(length)
        return start
    }

    /// The index and version of the common record, read from the source
    /// block's bytes: a PostgreSQL source (`version.source` `auto` or
    /// `source.lsn`), or any source under `kafka.offset` or `none`; the
    /// default index name (the table) or `topic.index.map`; no
    /// `metadata.fields`. `nil` sends the record through `ChangeEvent` and
    /// the general readers, which decide everything else (and agree with
    /// this wherever it answers: the differential tests hold the two).
    private func commonTarget(
        _ slots: SourceSlots?, raw: UnsafeRawBufferPointer, topic: String, offset: Int64
    ) -> (index: String, version: ExternalVersion?)? {
        guard mapping.metadataFields.isEmpty, let slots else { return nil }
        // `connector` as text, when it is a plain string; any other value goes the general way.
        let connector = slots.plainString(SourceMember.connector, in: raw)
        if slots.has(SourceMember.connector) && connector == nil { return nil }
        if let connector, ByteEquality.equal(connector, "mongodb") { return nil }

        let version: ExternalVersion?
        switch versionSource {
        case .none:
            version = nil
        case .kafkaOffset:
            version = ExternalVersion(offset, .external)
        case .auto where connector.map({ ByteEquality.equal($0, "postgresql") }) ?? false, .sourceLSN:
            // A plain non-negative integer; anything else (`-0`, `1.0`, a string) the general way.
            guard let lsn = slots.value(SourceMember.lsn, in: raw), lsn.first != UInt8(ascii: "-"),
                let literal = JSONValidator(lsn, limits: decoder.limits).integerLiteral(at: 0), literal.end == lsn.count
            else { return nil }
            version = ExternalVersion(literal.value, .external)
        default:
            return nil
        }

        if let mapped = topicIndexMap[topic] { return (mapped, version) }
        guard indexName.isTableOrTopic, let table = slots.plainString(SourceMember.table, in: raw), !table.isEmpty,
            let index = try? indexName.finish(
                JSONByteParser.makeString(table.assumingMemoryBound(to: UInt8.self)), memo: indexNames)
        else { return nil }
        return (index, version)
    }
}

/// The envelope members the streaming route tells apart, and which it has seen.
struct EnvelopeMembers {
    enum Member: UInt8 {
        case op, after, before, source, timestamp, reserved, other
    }

    private var seen: UInt8 = 0

    /// Records `member`; `false` when a named member comes twice (the general
    /// path then decides which one counts).
    mutating func insert(_ member: Member) -> Bool {
        guard member != .other else { return true }
        let bit: UInt8 = 1 << member.rawValue
        guard seen & bit == 0 else { return false }
        seen |= bit
        return true
    }

    static func member(_ name: UnsafeRawBufferPointer) -> Member {
        switch name.count {
        case 2 where ByteEquality.equal(name, "op"): .op
        case 5 where ByteEquality.equal(name, "after"): .after
        case 5 where ByteEquality.equal(name, "ts_ms"): .timestamp
        case 6 where ByteEquality.equal(name, "before"): .before
        case 6 where ByteEquality.equal(name, "source"): .source
        case 6 where ByteEquality.equal(name, "schema"): .reserved
        case 7 where ByteEquality.equal(name, "payload"): .reserved
        default: name.count >= 2 && name[0] == UInt8(ascii: "_") && name[1] == UInt8(ascii: "_") ? .reserved : .other
        }
    }
}

extension ChangeOperation {
    /// The operation spelled by one byte (`c`, `r`, `u`, `d`, `t`, `m`).
    init?(byte: UInt8) {
        switch byte {
        case UInt8(ascii: "c"): self = .create
        case UInt8(ascii: "r"): self = .read
        case UInt8(ascii: "u"): self = .update
        case UInt8(ascii: "d"): self = .delete
        case UInt8(ascii: "t"): self = .truncate
        case UInt8(ascii: "m"): self = .message
        default: return nil
        }
    }
}
