import ArgumentParser
import Foundation
import TributaryKafka
#if canImport(Glibc)
import Glibc
#endif

/// `mock-cluster`: runs a MockKafkaCluster until stdin closes or a signal.
///
/// Protocol: prints `bootstrap=<servers>` once, then answers each stdin
/// command line with `ok` or `error <message>` (blank lines are ignored):
/// `topic NAME PARTITIONS`, `broker-down ID`, `broker-up ID`, `rtt ID MS`,
/// `request-errors APIKEY ERRCODE [ERRCODE...]`, `clear-request-errors APIKEY`,
/// `leader TOPIC PARTITION BROKER`, `coordinator KEYTYPE KEY BROKER`.
struct MockClusterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mock-cluster", abstract: "Run librdkafka's mock Kafka cluster, controlled from stdin.")

    @Option(help: "Number of brokers (ids 1...N).")
    var brokers: Int = 3

    @Option(name: .customLong("topic"), help: "Create a topic first, as NAME:PARTITIONS (repeatable).")
    var topics: [String] = []

    @Flag(name: .customLong("no-stdin"), help: "Ignore stdin; run until SIGTERM/SIGINT.")
    var noStdin = false

    @OptionGroup var common: CommonOptions

    func run() throws {
        let cluster = try MockKafkaCluster(brokers: brokers, logger: common.logger("tributary-dev.mock-cluster"))
        for spec in topics {
            let parts = spec.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, let count = Int32(parts[1]), count > 0 else {
                throw ValidationError("--topic expects NAME:PARTITIONS, got \(spec)")
            }
            try cluster.createTopic(String(parts[0]), partitions: count)
        }
        exitOnSignals()
        reply("bootstrap=\(cluster.bootstrapServers)")

        if noStdin {
            while true { pause() }
        }
        while let line = readLine() {
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard !words.isEmpty else { continue }
            do {
                try MockClusterControl.apply(words, to: cluster)
                reply("ok")
            } catch {
                reply("error \(error)")
            }
        }
    }

    /// One unbuffered line on stdout, so a controlling process sees it at once.
    private func reply(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    /// SIGTERM/SIGINT end the process at once; the OS reclaims the listeners.
    private func exitOnSignals() {
        signal(SIGTERM) { _ in _exit(0) }
        signal(SIGINT) { _ in _exit(0) }
        signal(SIGPIPE, SIG_IGN)
    }
}

/// Parses and applies one control command.
enum MockClusterControl {
    static func apply(_ words: [String], to cluster: MockKafkaCluster) throws {
        let arguments = Array(words.dropFirst())
        switch words[0] {
        case "topic":
            try expect(arguments, count: 2, usage: "topic NAME PARTITIONS")
            try cluster.createTopic(arguments[0], partitions: int32(arguments[1]))
        case "broker-down":
            try expect(arguments, count: 1, usage: "broker-down ID")
            try cluster.setBrokerDown(int32(arguments[0]))
        case "broker-up":
            try expect(arguments, count: 1, usage: "broker-up ID")
            try cluster.setBrokerUp(int32(arguments[0]))
        case "rtt":
            try expect(arguments, count: 2, usage: "rtt ID MS")
            try cluster.setBrokerRoundTripTime(int32(arguments[0]), milliseconds: int32(arguments[1]))
        case "request-errors":
            guard arguments.count >= 2 else { throw DevToolError("usage: request-errors APIKEY ERRCODE [ERRCODE...]") }
            guard let apiKey = Int16(arguments[0]) else { throw DevToolError("not an API key: \(arguments[0])") }
            cluster.pushRequestErrors(apiKey: apiKey, errors: try arguments.dropFirst().map(int32))
        case "clear-request-errors":
            try expect(arguments, count: 1, usage: "clear-request-errors APIKEY")
            guard let apiKey = Int16(arguments[0]) else { throw DevToolError("not an API key: \(arguments[0])") }
            cluster.clearRequestErrors(apiKey: apiKey)
        case "leader":
            try expect(arguments, count: 3, usage: "leader TOPIC PARTITION BROKER")
            try cluster.setPartitionLeader(topic: arguments[0], partition: int32(arguments[1]), brokerID: int32(arguments[2]))
        case "coordinator":
            try expect(arguments, count: 3, usage: "coordinator group|transaction KEY BROKER")
            try cluster.setCoordinator(keyType: arguments[0], key: arguments[1], brokerID: int32(arguments[2]))
        default:
            throw DevToolError("unknown command \(words[0])")
        }
    }

    private static func expect(_ arguments: [String], count: Int, usage: String) throws {
        guard arguments.count == count else { throw DevToolError("usage: \(usage)") }
    }

    private static func int32(_ word: String) throws -> Int32 {
        guard let value = Int32(word) else { throw DevToolError("not a 32-bit integer: \(word)") }
        return value
    }
}
