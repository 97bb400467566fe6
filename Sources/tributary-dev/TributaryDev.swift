import ArgumentParser
import Logging

/// `tributary-dev`: a development and test companion for Tributary. It runs
/// librdkafka's mock cluster and produces, consumes and inspects topics, for
/// the end-to-end tests and the demo, and times the router alone
/// (`route-bench`). Not part of the production worker.
@main
struct TributaryDev: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tributary-dev",
        abstract: "Kafka helpers for Tributary's tests and demo, and a routing benchmark.",
        subcommands: [MockClusterCommand.self, ProduceCommand.self, ConsumeCommand.self, OffsetsCommand.self, RouteBenchCommand.self])
}

/// Options every subcommand shares.
struct CommonOptions: ParsableArguments {
    @Option(help: "swift-log level for librdkafka and tool logs (stderr): trace, debug, info, notice, warning, error, critical.")
    var logLevel: String = "warning"

    /// A logger writing to stderr at the chosen level.
    func logger(_ label: String) -> Logger {
        var logger = Logger(label: label) { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .warning
        return logger
    }
}

/// A failure the tool reports with a non-zero exit status.
struct DevToolError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
