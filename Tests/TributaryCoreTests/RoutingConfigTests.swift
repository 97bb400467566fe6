import Testing
@testable import TributaryCore

@Suite("Connector files: document mapping keys")
struct RoutingConfigTests {
    func parse(_ settings: String) throws(ConfigError) -> ConnectorConfig {
        try parseTestConnector(settings)
    }

    @Test("defaults")
    func defaults() throws {
        let routing = try parse("").routing
        #expect(routing.versionSource == .auto)
        #expect(routing.deleteMode == .hard)
        #expect(routing.truncateMode == .ignore)
        #expect(routing.toastMode == .script)
        #expect(routing.valueFormat == .auto)
        #expect(routing.topicIndexMap.isEmpty)
        #expect(routing.mapping == DocumentMapping())
    }

    @Test("every new key parses")
    func allKeys() throws {
        let config = try parse(
            #""version.source":"field:row_version","delete.mode":"soft","truncate.mode":"delete_all","toast.mode":"update","#
                + #""value.format":"flattened","decimal.format":"string","field.types":"price:decimal(2),doc:json","#
                + #""fields.include":"id,name,price","fields.exclude":"secret","fields.rename":"name:title,_id:mongo_id","#
                + #""drop.null.fields":"true","metadata.fields":"op,lsn,source_ts_ms,table,db","metadata.prefix":"_m_","#
                + #""flattened.keep.metadata":true,"routing.field":"tenant","key.delimiter":"::","#
                + #""topic.index.map":"a:idx-a,b.c:idx-b""#)
        let routing = config.routing
        #expect(routing.versionSource == .field("row_version"))
        #expect(routing.deleteMode == .soft && routing.truncateMode == .deleteAll && routing.toastMode == .update)
        #expect(routing.valueFormat == .flattened)
        #expect(routing.topicIndexMap == ["a": "idx-a", "b.c": "idx-b"])
        let mapping = routing.mapping
        #expect(mapping.logicalTypes.decimalFormat == .string)
        #expect(mapping.fieldTypes.entries.map(\.name) == ["price", "doc"])
        #expect(mapping.include == ["id", "name", "price"] && mapping.exclude == ["secret"])
        #expect(mapping.rename == ["name": "title", "_id": "mongo_id"])
        #expect(mapping.dropNulls && mapping.keepFlattenedMetadata)
        #expect(mapping.metadataFields == [.op, .lsn, .sourceTimestamp, .table, .db])
        #expect(mapping.metadataPrefix == "_m_" && mapping.routingField == "tenant" && mapping.keyDelimiter == "::")
        #expect(config.routing.router.deleteMode == .soft)
    }

    @Test("mistakes name the key", arguments: [
        (#""delete.mode":"gentle""#, "delete.mode"),
        (#""truncate.mode":"drop""#, "truncate.mode"),
        (#""toast.mode":"ignore""#, "toast.mode"),
        (#""value.format":"avro""#, "value.format"),
        (#""decimal.format":"double""#, "decimal.format"),
        (#""field.types":"price:money""#, "field.types"),
        (#""fields.rename":"name""#, "fields.rename"),
        (#""metadata.fields":"op,colour""#, "metadata.fields"),
        (#""topic.index.map":"a:Bad Index""#, "topic.index.map"),
        (#""key.delimiter":"\\""#, "key.delimiter"),
        (#""drop.null.fields":"maybe""#, "drop.null.fields"),
        (#""version.source":"gtid""#, "version.source"),
    ])
    func mistakes(fragment: String, key: String) {
        let error = #expect(throws: ConfigError.self) { try parse(fragment) }
        #expect(error?.key == key, "\(String(describing: error))")
    }
}
