/// Derives an index's mappings from the JsonConverter schema of its rows,
/// for `index.mappings=derived`.
///
/// The properties describe the document the router writes, not just the
/// table: the row's columns as `DocumentMapping` selects and renames them
/// (`fields.include`, `fields.exclude`, `fields.rename`, reserved names left
/// out), each typed by `FieldMapping`; a flattened row's `__` metadata only
/// under `flattened.keep.metadata`; then the `metadata.fields` members and,
/// under `delete.mode=soft`, `__deleted` (`boolean`). Columns a later schema
/// adds are left to dynamic mapping. Pure.
public struct IndexMappingBuilder: Sendable {
    public var decimal: IndexMappingOptions.DecimalMapping
    public var mapping: DocumentMapping
    public var deleteMode: DeleteMode

    public init(
        decimal: IndexMappingOptions.DecimalMapping = .scaledFloat, mapping: DocumentMapping = DocumentMapping(),
        deleteMode: DeleteMode = .hard
    ) {
        self.decimal = decimal
        self.mapping = mapping
        self.deleteMode = deleteMode
    }

    /// The `mappings` object (`{"properties": {…}}`) for rows of the struct
    /// schema `rowSchema`, or `nil` when it is not a struct with fields (a
    /// MongoDB row is a JSON string) or nothing in it has a mapping.
    /// `flattened` says the rows are ExtractNewRecordState output, whose `__`
    /// columns are metadata.
    public func mappings(rowSchema: JSONObject, flattened: Bool) -> JSONObject? {
        guard rowSchema["type"]?.stringValue == "struct", let fields = rowSchema["fields"]?.arrayValue, !fields.isEmpty else {
            return nil
        }
        var properties = JSONObject()
        var flattenedMetadata = JSONObject()
        for field in fields {
            guard let schema = field.objectValue, let column = schema["field"]?.stringValue else { continue }
            if flattened && Self.isFlattenedMetadata(column) {
                if mapping.keepFlattenedMetadata, let type = FieldMapping.mapping(for: schema, decimal: decimal) {
                    flattenedMetadata[column] = .object(type)
                }
                continue
            }
            if let include = mapping.include, !include.contains(column) { continue }
            if mapping.exclude.contains(column) { continue }
            let name = mapping.fieldName(column)
            if DocumentMapping.reservedFields.contains(name) { continue }
            guard let type = FieldMapping.mapping(for: schema, decimal: decimal) else { continue }
            properties[name] = .object(type)
        }
        for member in flattenedMetadata { properties[member.key] = member.value }
        for field in mapping.metadataFields {
            properties[mapping.metadataPrefix + field.rawValue] = .object(Self.metadataType(field))
        }
        if deleteMode == .soft { properties["__deleted"] = .object(FieldMapping.type("boolean")) }
        guard !properties.isEmpty else { return nil }
        return ["properties": .object(properties)]
    }

    /// The body of `PUT /<index>`: `{"mappings": …}`.
    public static func createIndexBody(mappings: JSONObject) -> [UInt8] {
        JSONWriter.encode(.object(["mappings": .object(mappings)]))
    }

    /// The mapping of a `metadata.fields` member.
    static func metadataType(_ field: DocumentMapping.MetadataField) -> JSONObject {
        switch field {
        case .op, .table, .db, .schema, .connector: FieldMapping.type("keyword")
        case .lsn, .version: FieldMapping.type("long")
        case .sourceTimestamp, .timestamp: ["type": .string("date"), "format": .string("epoch_millis")]
        }
    }

    /// Whether a flattened row's column is ExtractNewRecordState metadata (`__op`, `__deleted`, …), as `FlattenedRow` decides.
    static func isFlattenedMetadata(_ column: String) -> Bool {
        column.utf8.count > 2 && column.hasPrefix("__")
    }
}
