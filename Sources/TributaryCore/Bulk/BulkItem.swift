/// One `_bulk` operation, already encoded as its NDJSON lines.
///
/// Encoding happens once, when the record is routed; batches, retries and
/// re-batching only concatenate `bytes`.
public struct BulkItem: Sendable, Hashable {
    public enum Action: String, Sendable, Hashable {
        case index
        case delete
        /// A partial update (`BulkItem.partialUpdate`): a row with unavailable
        /// (TOASTed) columns merged into the stored document.
        case update
    }

    /// How OpenSearch compares an external version with the stored one.
    public enum VersionType: String, Sendable, Hashable {
        /// Applied only when higher than the stored version (strictly ordered sources).
        case external
        /// Applied when higher or equal: for sources whose position can be
        /// shared by several changes of one row (a transaction's commit LSN,
        /// a millisecond timestamp), which then apply in arrival order.
        case externalGTE = "external_gte"
    }

    public var action: Action
    public var index: String
    public var id: String
    /// The external version, or `nil` for an unversioned write.
    public var version: Int64?
    /// How `version` is compared (meaningless when `version` is `nil`).
    public var versionType: VersionType
    /// The `routing` value of the action line (`routing.field`), if any.
    public var routing: String?
    /// The action line and, for `index` and `update`, the body line; each ends in `\n`.
    ///
    /// A slice: the streaming route writes the document first and the action
    /// line into room left in front of it, so the item's bytes may start
    /// past its buffer's start (`startIndex` is not always 0).
    public var bytes: ArraySlice<UInt8>

    public init(
        action: Action, index: String, id: String, version: Int64?, bytes: ArraySlice<UInt8>,
        versionType: VersionType = .external, routing: String? = nil
    ) {
        self.action = action
        self.index = index
        self.id = id
        self.version = version
        self.versionType = versionType
        self.routing = routing
        self.bytes = bytes
    }

    public init(
        action: Action, index: String, id: String, version: Int64?, bytes: [UInt8],
        versionType: VersionType = .external, routing: String? = nil
    ) {
        self.init(action: action, index: index, id: id, version: version, bytes: bytes[...], versionType: versionType, routing: routing)
    }

    /// Encodes an `index` operation of `document`.
    public static func index(
        _ index: String, id: String, version: Int64?, document: JSONObject, pipeline: String? = nil,
        versionType: VersionType = .external, routing: String? = nil
    ) -> BulkItem {
        var writer = JSONWriter(capacity: 256)
        writeActionLine(
            into: &writer, action: .index, index: index, id: id, version: version, versionType: versionType,
            routing: routing, pipeline: pipeline)
        writer.write(.object(document))
        writer.writeRaw("\n")
        return BulkItem(
            action: .index, index: index, id: id, version: version, bytes: writer.bytes, versionType: versionType, routing: routing)
    }

    /// Encodes a `delete` operation.
    public static func delete(
        _ index: String, id: String, version: Int64?, versionType: VersionType = .external, routing: String? = nil
    ) -> BulkItem {
        var writer = JSONWriter(capacity: 128)
        writeActionLine(
            into: &writer, action: .delete, index: index, id: id, version: version, versionType: versionType,
            routing: routing, pipeline: nil)
        return BulkItem(
            action: .delete, index: index, id: id, version: version, bytes: writer.bytes, versionType: versionType, routing: routing)
    }

    static func writeActionLine(
        into writer: inout JSONWriter, action: Action, index: String, id: String, version: Int64?,
        versionType: VersionType, routing: String?, pipeline: String?
    ) {
        switch action {
        case .index: writer.writeRaw("{\"index\":{\"_index\":" as StaticString)
        case .delete: writer.writeRaw("{\"delete\":{\"_index\":" as StaticString)
        case .update: writer.writeRaw("{\"update\":{\"_index\":" as StaticString)
        }
        writer.writeString(index)
        writer.writeRaw(",\"_id\":")
        writer.writeString(id)
        if let version {
            writer.writeRaw(",\"version\":")
            writer.writeInteger(version)
            writer.writeRaw(versionType == .external ? ",\"version_type\":\"external\"" : ",\"version_type\":\"external_gte\"")
        }
        if let routing {
            writer.writeRaw(",\"routing\":")
            writer.writeString(routing)
        }
        if let pipeline {
            writer.writeRaw(",\"pipeline\":")
            writer.writeString(pipeline)
        }
        writer.writeRaw("}}\n")
    }
}
