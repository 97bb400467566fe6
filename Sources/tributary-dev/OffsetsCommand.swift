import ArgumentParser
import Foundation
import TributaryKafka

/// `offsets`: a group's committed offsets and the watermarks of a topic, as
/// one JSON object: `{"topic":T,"partitions":[{"partition":0,"committed":N|null,"low":L,"high":H},...]}`.
/// Does not join the group.
struct OffsetsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "offsets", abstract: "Print committed offsets and watermarks.")

    @Option(help: "bootstrap.servers") var bootstrap: String
    @Option(help: "Consumer group whose commits to read.") var group: String
    @Option(help: "Topic.") var topic: String
    @Option(help: "Timeout for each broker request.") var timeoutMs: Int32 = 5000
    @OptionGroup var common: CommonOptions

    func run() throws {
        let consumer = try KafkaConsumer(
            configuration: ["bootstrap.servers": bootstrap, "group.id": group, "enable.auto.commit": "false"],
            logger: common.logger("tributary-dev.offsets"))
        defer { consumer.close() }

        let count = try consumer.partitionCount(topic: topic, timeoutMs: timeoutMs)
        let partitions = (0..<count).map { TopicPartition(topic: topic, partition: $0) }
        let committed = try consumer.committed(partitions, timeoutMs: timeoutMs)
        var entries: [String] = []
        for partition in partitions {
            let marks = try consumer.queryWatermarks(partition, timeoutMs: timeoutMs)
            let offset = committed[partition].map(String.init) ?? "null"
            entries.append("{\"partition\":\(partition.partition),\"committed\":\(offset),\"low\":\(marks.low),\"high\":\(marks.high)}")
        }
        print("{\"topic\":\(RawJSON.quote(topic)),\"partitions\":[\(entries.joined(separator: ","))]}")
    }
}
