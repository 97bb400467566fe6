import Testing
@testable import TributaryKafka

@Suite(.timeLimit(.minutes(1)))
struct ProduceConsumeTests {
    @Test func producedMessagesComeBackExactlyInAGroup() async throws {
        try await onThread {
            let logger = testLogger("produce-consume")
            let cluster = try MockKafkaCluster(brokers: 3, logger: logger)
            try cluster.createTopic("orders", partitions: 3)
            let producer = try KafkaProducer(configuration: producerConfig(cluster), logger: logger)

            let count = 30
            let messages = (0..<count).map { i in
                (
                    partition: Int32?(Int32(i % 3)), key: Optional(bytes("key-\(i)")), value: Optional(bytes("value-\(i)")),
                    headers: [
                        KafkaHeader(key: "source", value: bytes("test")),
                        KafkaHeader(key: "seq", value: bytes("\(i)")),
                        KafkaHeader(key: "nothing", value: nil),
                    ]
                )
            }
            let reports = try produceAll(producer, topic: "orders", messages)
            #expect(reports.count == count)
            for i in 0..<count {
                let report = try #require(reports[UInt64(i + 1)])
                #expect(report.error == nil)
                #expect(report.partition == Int32(i % 3))
                #expect(report.offset == Int64(i / 3))
            }
            #expect(producer.outstanding == 0)

            let member = try GroupMember(consumerConfig(cluster, group: "g-exact"), topics: ["orders"], logger: logger)
            try drive([member], seconds: 15, until: "\(count) messages") { member.messages.count >= count }
            #expect(member.messages.count == count)
            #expect(member.assigned.count == 3)

            for message in member.messages {
                #expect(message.topic == "orders")
                let i = Int(message.partition) + 3 * Int(message.offset)
                #expect(text(message.key) == "key-\(i)")
                #expect(text(message.value) == "value-\(i)")
                #expect(message.headers == messages[i].headers)
                #expect(message.timestampMs != nil)
            }
            for partition in Int32(0)..<3 {
                let offsets = member.messages.filter { $0.partition == partition }.map(\.offset)
                #expect(offsets == Array(0..<10))
            }
            member.consumer.close()
        }
    }

    @Test func tombstoneAndEmptyValuesSurviveTheRoundTrip() async throws {
        try await onThread {
            let logger = testLogger("tombstone")
            let cluster = try MockKafkaCluster(brokers: 1, logger: logger)
            try cluster.createTopic("cdc", partitions: 1)
            let producer = try KafkaProducer(configuration: producerConfig(cluster), logger: logger)
            let reports = try produceAll(
                producer, topic: "cdc",
                [
                    (partition: nil, key: bytes("row-1"), value: nil, headers: []),
                    (partition: nil, key: bytes("row-2"), value: [], headers: [KafkaHeader(key: "", value: [])]),
                    (partition: nil, key: nil, value: bytes("keyless"), headers: []),
                ])
            #expect(reports.values.allSatisfy { $0.error == nil })

            let member = try GroupMember(consumerConfig(cluster, group: "g-tomb"), topics: ["cdc"], logger: logger)
            try drive([member], seconds: 15, until: "3 messages") { member.messages.count >= 3 }
            let byOffset = Dictionary(uniqueKeysWithValues: member.messages.map { ($0.offset, $0) })
            #expect(text(byOffset[0]?.key) == "row-1")
            #expect(byOffset[0]?.value == nil)
            #expect(byOffset[1]?.value == [])
            #expect(byOffset[1]?.headers == [KafkaHeader(key: "", value: [])])
            #expect(byOffset[2]?.key == nil)
            #expect(text(byOffset[2]?.value) == "keyless")

            // Read in place, as the worker routes: the same keys and values,
            // a null key or value as nil and an empty value as empty.
            let inPlace = try GroupMember(consumerConfig(cluster, group: "g-tomb-in-place"), topics: ["cdc"], inPlace: true, logger: logger)
            try drive([inPlace], seconds: 15, until: "3 messages in place") { inPlace.messages.count >= 3 }
            #expect(inPlace.keysAndValues.count == inPlace.messages.count)
            for (message, read) in zip(inPlace.messages, inPlace.keysAndValues) {
                #expect(read.key == message.key, "offset \(message.offset)")
                #expect(read.value == message.value, "offset \(message.offset)")
            }
            #expect(inPlace.keysAndValues.map { $0.value == nil } == [true, false, false])
            #expect(inPlace.keysAndValues.map { $0.key == nil } == [false, false, true])
            inPlace.consumer.close()
        }
    }

    @Test func invalidConfigurationNamesTheKey() throws {
        let logger = testLogger("config")
        #expect {
            _ = try KafkaProducer(configuration: ["no.such.property": "1"], logger: logger)
        } throws: { error in
            (error as? KafkaError)?.message.contains("no.such.property") == true
        }
        #expect {
            _ = try KafkaConsumer(configuration: ["bootstrap.servers": "localhost:1"], logger: logger)
        } throws: { error in
            (error as? KafkaError)?.message.contains("group.id") == true
        }
    }
}
