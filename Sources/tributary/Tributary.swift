import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import UnixSignals
import TributaryCore
import TributaryWorker

@main
struct Tributary: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tributary",
        abstract: "A Kafka sink that keeps OpenSearch indexes equal to Debezium-captured tables.",
        subcommands: [Run.self, Validate.self, DeadLetters.self]
    )
}

/// Options every subcommand shares.
struct CommonOptions: ParsableArguments {
    @Option(name: .long, help: "A connector JSON file, or a folder of them.")
    var config: String

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String = "info"

    func bootstrapLogging() throws -> Logger {
        guard let level = Logger.Level(rawValue: logLevel) else {
            throw ValidationError("--log-level '\(logLevel)' is not one of trace, debug, info, notice, warning, error, critical")
        }
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        return Logger(label: "tributary")
    }

    /// The connectors at `--config`; a problem is printed naming the file and
    /// key, and exits with status 2.
    func loadConnectors() throws -> [ConnectorConfig] {
        do {
            return try ConnectorFiles.load(path: config)
        } catch {
            FileHandle.standardError.write(Data("invalid configuration: \(error)\n".utf8))
            throw ExitCode(2)
        }
    }
}

struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the connectors until SIGTERM or SIGINT.")

    @OptionGroup var options: CommonOptions

    func run() async throws {
        let allocator = AllocatorTuning.apply(environment: ProcessInfo.processInfo.environment)
        let logger = try options.bootstrapLogging()
        logger.debug("allocator", metadata: ["tuning": "\(allocator)"])
        let configs = try options.loadConnectors()
        let services = configs.map { ServiceGroupConfiguration.ServiceConfiguration(service: ConnectorService(config: $0, logger: logger)) }
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: services,
                gracefulShutdownSignals: [.sigterm, .sigint],
                cancellationSignals: [],
                logger: logger
            ))
        do {
            try await group.run()
        } catch {
            logger.critical("connector stopped with an error", metadata: ["error": "\(error)"])
            throw ExitCode(1)
        }
    }
}

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check connector files and print their effective settings (secrets masked).")

    @OptionGroup var options: CommonOptions

    func run() throws {
        for config in try options.loadConnectors() {
            print("connector \(config.name): OK")
            print("  consumer group: \(config.kafka["group.id"] ?? "")")
            switch config.subscription {
            case .topics(let topics): print("  topics: \(topics.joined(separator: ", "))")
            case .pattern(let pattern): print("  topics.regex: \(pattern)")
            }
            print("  dead-letter topic: \(config.deadLetterTopic ?? "(none)")")
            for (key, value) in config.redacted { print("  \(key) = \(value)") }
        }
    }
}

struct DeadLetters: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dlq", abstract: "Work with a connector's dead-letter queue.", subcommands: [Replay.self])

    struct Replay: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send dead-lettered records back to their source topic (or --to TOPIC) after a fix.",
            discussion: """
                Reads the DLQ from where the last replay stopped (consumer group <group>-dlq-replay) \
                to its current end, re-sends every record with its original key, value and headers \
                (into its original partition when going back to its source topic), and commits the \
                replay position only after the broker acknowledged them all.
                """)

        @OptionGroup var options: CommonOptions

        @Option(help: "The connector to replay, when --config holds several.")
        var connector: String?

        @Option(help: "Send to this topic instead of each record's source topic.")
        var to: String?

        @Option(help: "Replay at most this many records.")
        var limit: Int?

        @Flag(help: "Print what would be sent; send and commit nothing.")
        var dryRun = false

        func run() throws {
            let logger = try options.bootstrapLogging()
            let configs = try options.loadConnectors()
            let chosen = connector.map { name in configs.filter { $0.name == name } } ?? configs
            guard chosen.count == 1, let config = chosen.first else {
                let names = configs.map(\.name).joined(separator: ", ")
                throw ValidationError("choose one connector with --connector (found: \(names))")
            }
            let replay = DeadLetterReplay(config: config, target: to, dryRun: dryRun, limit: limit, logger: logger)
            do {
                let count = try replay.run { entry in
                    let partition = entry.targetPartition.map { "[\($0)]" } ?? ""
                    print("\(dryRun ? "would send" : "sent") dlq[\(entry.dlqPartition)]@\(entry.dlqOffset) -> \(entry.targetTopic)\(partition)  (\(entry.error))")
                }
                print(dryRun ? "dry run: \(count) records would be replayed" : "replayed \(count) records")
            } catch {
                FileHandle.standardError.write(Data("dlq replay failed: \(error)\n".utf8))
                throw ExitCode(1)
            }
        }
    }
}
