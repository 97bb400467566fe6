/// One `_bulk` operation, already encoded as its NDJSON lines.
///
/// Encoding happens once, when the record is routed; batches, retries and
/// re-batching only concatenate `bytes`.
public struct BulkItem: Sendable, Hashable {
    public enum Action: String, Sendable, Hashable {
        case index
        case delete
    }

    public var action: Action
    public var index: String
    public var id: String
    /// The external version, or `nil` for an unversioned write.
    public var version: Int64?
    /// The action line and, for `index`, the document line; each ends in `\n`.
    public var bytes: [UInt8]

    public init(action: Action, index: String, id: String, version: Int64?, bytes: [UInt8]) {
        self.action = action
        self.index = index
        self.id = id
        self.version = version
        self.bytes = bytes
    }

    /// Encodes an `index` operation of `document`.
    public static func index(_ index: String, id: String, version: Int64?, document: JSONObject, pipeline: String? = nil) -> BulkItem {
        var writer = JSONWriter(capacity: 256)
        writeActionLine(into: &writer, action: .index, index: index, id: id, version: version, pipeline: pipeline)
        writer.write(.object(document))
        writer.writeRaw("\n")
        return BulkItem(action: .index, index: index, id: id, version: version, bytes: writer.bytes)
    }

    /// Encodes a `delete` operation.
    public static func delete(_ index: String, id: String, version: Int64?) -> BulkItem {
        var writer = JSONWriter(capacity: 128)
        writeActionLine(into: &writer, action: .delete, index: index, id: id, version: version, pipeline: nil)
        return BulkItem(action: .delete, index: index, id: id, version: version, bytes: writer.bytes)
    }

    private static func writeActionLine(
        into writer: inout JSONWriter, action: Action, index: String, id: String, version: Int64?, pipeline: String?
    ) {
        writer.writeRaw(action == .index ? "{\"index\":{\"_index\":" : "{\"delete\":{\"_index\":")
        writer.writeString(index)
        writer.writeRaw(",\"_id\":")
        writer.writeString(id)
        if let version {
            writer.writeRaw(",\"version\":")
            writer.writeRaw(String(version))
            writer.writeRaw(",\"version_type\":\"external\"")
        }
        if let pipeline {
            writer.writeRaw(",\"pipeline\":")
            writer.writeString(pipeline)
        }
        writer.writeRaw("}}\n")
    }
}
