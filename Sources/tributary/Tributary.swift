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
        subcommands: [Run.self, Validate.self]
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
}

struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the connectors until SIGTERM or SIGINT.")

    @OptionGroup var options: CommonOptions

    func run() async throws {
        let logger = try options.bootstrapLogging()
        let configs: [ConnectorConfig]
        do {
            configs = try ConnectorFiles.load(path: options.config)
        } catch {
            logger.critical("invalid configuration", metadata: ["error": "\(error)"])
            throw ExitCode(2)
        }
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
        let configs: [ConnectorConfig]
        do {
            configs = try ConnectorFiles.load(path: options.config)
        } catch {
            FileHandle.standardError.write(Data("invalid configuration: \(error)\n".utf8))
            throw ExitCode(2)
        }
        for config in configs {
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
