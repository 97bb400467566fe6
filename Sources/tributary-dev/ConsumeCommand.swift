import ArgumentParser
import Foundation
import TributaryKafka

/// `consume`: reads a whole topic from the beginning to the high watermarks
/// seen at start (manual assignment, nothing committed) and prints one JSON
/// line per message, sorted by partition then offset:
/// `{"topic","partition","offset","key","value","headers"}` with key/value as
/// (lossy) UTF-8 strings or null and header values as strings or null.
struct ConsumeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "consume", abstract: "Print a topic's messages as JSON lines.")

    @Option(help: "bootstrap.servers") var bootstrap: String
    @Option(help: "Topic to read.") var topic: String
    @Option(help: "Give up (exit 1, after printing what arrived) after this long.") var timeoutMs: Int32 = 5000
    @OptionGroup var common: CommonOptions

    func run() throws {
        let logger = common.logger("tributary-dev.consume")
        let consumer = try KafkaConsumer(
            configuration: [
                "bootstrap.servers": bootstrap,
                "group.id": "tributary-dev-consume-\(ProcessInfo.processInfo.processIdentifier)",
                "enable.auto.commit": "false",
                "enable.auto.offset.store": "false",
            ],
            logger: logger)
        defer { consumer.close() }

        let deadline = Date().addingTimeInterval(Double(timeoutMs) / 1000)
        let partitions = try consumer.partitionCount(topic: topic, timeoutMs: timeoutMs)
        var remaining: [Int32: Int64] = [:]  // partition → last offset still to see
        for partition in 0..<partitions {
            let marks = try consumer.queryWatermarks(TopicPartition(topic: topic, partition: partition), timeoutMs: timeoutMs)
            if marks.high > marks.low { remaining[partition] = marks.high - 1 }
        }
        try consumer.assign(
            Dictionary(uniqueKeysWithValues: remaining.keys.map { (TopicPartition(topic: topic, partition: $0), KafkaOffset.beginning) }))

        var messages: [KafkaMessage] = []
        while !remaining.isEmpty, Date() < deadline {
            for message in try consumer.poll(maxMessages: 1000, timeoutMs: 100) {
                guard let last = remaining[message.partition], message.offset <= last else { continue }
                messages.append(message)
                if message.offset == last { remaining[message.partition] = nil }
            }
        }

        messages.sort { ($0.partition, $0.offset) < ($1.partition, $1.offset) }
        var output = ""
        for message in messages { output += Self.jsonLine(message) + "\n" }
        FileHandle.standardOutput.write(Data(output.utf8))
        if !remaining.isEmpty {
            throw DevToolError("timed out before the end of partitions \(remaining.keys.sorted())")
        }
    }

    static func jsonLine(_ message: KafkaMessage) -> String {
        let headers = message.headers.map { "\(RawJSON.quote($0.key)):\(string($0.value))" }.joined(separator: ",")
        return "{\"topic\":\(RawJSON.quote(message.topic)),\"partition\":\(message.partition),\"offset\":\(message.offset),"
            + "\"key\":\(string(message.key)),\"value\":\(string(message.value)),\"headers\":{\(headers)}}"
    }

    private static func string(_ bytes: [UInt8]?) -> String {
        bytes.map { RawJSON.quote(String(decoding: $0, as: UTF8.self)) } ?? "null"
    }
}
