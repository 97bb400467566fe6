import ArgumentParser
import Foundation
import TributaryKafka

/// `produce`: one message per JSON line (stdin or `--file`), acks=all; waits
/// for every delivery report and exits non-zero if any failed.
///
/// Line fields: `key`, `value` (any JSON, sent compactly as UTF-8; JSON null
/// or absent = null), `partition` (optional int; default: partitioner on the
/// key), `headers` (object, in order; string values as their text, null as a null
/// header, other JSON compactly), `key_raw` / `value_raw` (strings sent as
/// raw bytes), `key_base64` / `value_base64`.
struct ProduceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "produce", abstract: "Produce JSON lines to a topic.")

    @Option(help: "bootstrap.servers") var bootstrap: String
    @Option(help: "Topic to produce to.") var topic: String
    @Option(help: "Read lines from this file instead of stdin.") var file: String?
    @Option(help: "Extra librdkafka producer properties, KEY=VALUE (repeatable).") var set: [String] = []
    @OptionGroup var common: CommonOptions

    func run() throws {
        var config = ["bootstrap.servers": bootstrap, "acks": "all", "linger.ms": "5", "message.timeout.ms": "30000"]
        for pair in set {
            guard let eq = pair.firstIndex(of: "=") else { throw ValidationError("--set expects KEY=VALUE") }
            config[String(pair[..<eq])] = String(pair[pair.index(after: eq)...])
        }
        let producer = try KafkaProducer(configuration: config, logger: common.logger("tributary-dev.produce"))

        var enqueued: UInt64 = 0
        var lineNumber = 0
        var inputError: (any Error)?
        for line in try inputLines() {
            lineNumber += 1
            if line.allSatisfy(\.isWhitespace) { continue }
            do {
                let record = try ProduceRecord(line: Array(line.utf8))
                try enqueue(record, producer: producer, token: enqueued + 1)
                enqueued += 1
            } catch {
                inputError = DevToolError("line \(lineNumber): \(error)")
                break
            }
        }

        while producer.outstanding > 0 { _ = producer.flush(timeoutMs: 1000) }
        let reports = producer.takeDeliveryReports()
        let failed = reports.filter { $0.error != nil }
        for report in failed.prefix(10) {
            FileHandle.standardError.write(Data("delivery failed: \(report.error!)\n".utf8))
        }
        FileHandle.standardError.write(Data("produced \(reports.count - failed.count)\n".utf8))
        if let inputError { throw inputError }
        if !failed.isEmpty || reports.count != Int(enqueued) {
            throw DevToolError("\(failed.count) of \(enqueued) messages failed")
        }
    }

    private func inputLines() throws -> [Substring] {
        if let file {
            return try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        }
        var lines: [Substring] = []
        while let line = readLine() { lines.append(Substring(line)) }
        return lines
    }

    /// Enqueues, serving delivery reports while the local queue is full.
    private func enqueue(_ record: ProduceRecord, producer: KafkaProducer, token: UInt64) throws {
        while true {
            do throws(KafkaError) {
                try producer.produce(
                    topic: topic, partition: record.partition, key: record.key, value: record.value,
                    headers: record.headers, token: token)
                return
            } catch where error.isQueueFull {
                producer.poll(timeoutMs: 100)
            }
        }
    }
}

/// One parsed input line.
struct ProduceRecord {
    var key: [UInt8]?
    var value: [UInt8]?
    var partition: Int32?
    var headers: [KafkaHeader] = []

    init(line: [UInt8]) throws {
        let members = try RawJSON.objectMembers(line)
        key = try Self.payload(members, json: "key", raw: "key_raw", base64: "key_base64")
        value = try Self.payload(members, json: "value", raw: "value_raw", base64: "value_base64")
        if let raw = members["partition"], !RawJSON.isNull(raw) {
            guard let number = RawJSON.decodeInt(raw), let partition = Int32(exactly: number) else {
                throw DevToolError("partition must be an integer")
            }
            self.partition = partition
        }
        if let raw = members["headers"], !RawJSON.isNull(raw) {
            guard raw.first == UInt8(ascii: "{") else { throw DevToolError("headers must be an object") }
            for (name, value) in try RawJSON.orderedMembers(raw) {
                if RawJSON.isNull(value) {
                    headers.append(KafkaHeader(key: name, value: nil))
                } else if let text = RawJSON.decodeString(value) {
                    headers.append(KafkaHeader(key: name, value: Array(text.utf8)))
                } else {
                    headers.append(KafkaHeader(key: name, value: RawJSON.compact(value)))
                }
            }
        }
    }

    private static func payload(_ members: [String: [UInt8]], json: String, raw: String, base64: String) throws -> [UInt8]? {
        if let token = members[raw], !RawJSON.isNull(token) {
            guard let text = RawJSON.decodeString(token) else { throw DevToolError("\(raw) must be a string") }
            return Array(text.utf8)
        }
        if let token = members[base64], !RawJSON.isNull(token) {
            guard let text = RawJSON.decodeString(token), let data = Data(base64Encoded: text) else {
                throw DevToolError("\(base64) must be a base64 string")
            }
            return [UInt8](data)
        }
        guard let token = members[json], !RawJSON.isNull(token) else { return nil }
        return RawJSON.compact(token)
    }
}
