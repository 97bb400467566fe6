import ArgumentParser
import Foundation
import Synchronization
import TributaryCore

/// `route-bench`: the routing hot path alone, without Kafka or OpenSearch.
///
/// Loads records (the `produce` line format) into memory, then routes them
/// all, round after round, on one thread, and prints CPU time per record and
/// per 100 k records. Routing is the worker's largest CPU cost, and timing it
/// in isolation gives numbers stable enough to compare changes that a full
/// drain on a shared machine cannot resolve.
///
/// With `--threads N`, N threads route at once, each with a router of its
/// own built from the same settings, as the worker's routing threads do
/// (`RoutingStage`); `--share-router` makes them share one instead. CPU per
/// record that grows with N is time lost to what the threads share (locks,
/// reference counts, caches).
struct RouteBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "route-bench", abstract: "Time DocumentRouter on recorded messages (one thread).")

    @Option(help: "Records as JSON lines in the `produce` format (key/value, key_base64/value_base64, ...).")
    var file: String
    @Option(help: "Topic name the records are routed as.") var topic: String = "pg.public.products"
    @Option(help: "Connector JSON file whose routing settings to use (default: the built-in defaults).")
    var connector: String?
    @Option(help: "Minimum seconds of routing to time.") var seconds: Double = 3
    @Option(help: "Route exactly this many rounds instead (for instruction counts: `valgrind --tool=callgrind --collect-atstart=no --toggle-collect='*timedRound*'`).")
    var rounds: Int?
    @Option(help: "Threads routing at once, each routing every record.") var threads: Int = 1
    @Flag(help: "With --threads: one router for all threads instead of one each.") var shareRouter = false
    @Flag(help: "Print one JSON line instead of text.") var json = false

    func validate() throws {
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
        guard threads == 1 || rounds == nil else { throw ValidationError("--rounds counts one thread's rounds; use --seconds with --threads") }
        guard threads > 1 || !shareRouter else { throw ValidationError("--share-router needs --threads 2 or more") }
    }

    func run() throws {
        let records = try String(contentsOfFile: file, encoding: .utf8)
            .split(separator: "\n")
            .filter { !$0.allSatisfy(\.isWhitespace) }
            .map { try ProduceRecord(line: Array($0.utf8)) }
        guard !records.isEmpty else { throw DevToolError("\(file) has no records") }
        let router = try makeRouter()

        // One untimed round: fills the schema and plan caches as a running worker has.
        var outcome = Outcome()
        for (index, record) in records.enumerated() { outcome.count(route(router, record, offset: index)) }

        let wallStart = ContinuousClock.now
        let runs = threads == 1 ? [timedRun(router, records)] : try timedRuns(router, records)
        let completed = runs.reduce(0) { $0 + $1.rounds }
        let bytes = runs.reduce(0) { $0 + $1.bytes }
        let routed = completed * records.count
        let cpu = runs.reduce(0) { $0 + $1.cpu }
        let wall = wallStart.duration(to: .now)
        let wallSeconds = Double(wall.components.seconds) + Double(wall.components.attoseconds) / 1e18

        let nsPerRecord = cpu / Double(routed) * 1e9
        let perHundredK = cpu / Double(routed) * 100_000
        if json {
            print(
                "{\"records\":\(records.count),\"rounds\":\(completed),\"routed\":\(routed),\"cpu_s\":\(cpu),"
                    + "\"wall_s\":\(wallSeconds),\"ns_per_record\":\(nsPerRecord),\"cpu_s_per_100k\":\(perHundredK),"
                    + "\"writes\":\(outcome.writes),\"skips\":\(outcome.skips),\"errors\":\(outcome.errors),"
                    + "\"threads\":\(threads),\"output_bytes_per_round\":\(bytes / completed)}")
        } else {
            print(
                "\(records.count) records × \(completed) rounds: \(String(format: "%.0f", nsPerRecord)) ns/record, "
                    + "\(String(format: "%.3f", perHundredK)) CPU-s per 100k (\(threads == 1 ? "one thread" : "\(threads) threads")); "
                    + "writes \(outcome.writes), skips \(outcome.skips), errors \(outcome.errors)")
        }
    }

    /// One thread's timed rounds: until `rounds` are done, or for `seconds` of its CPU time.
    private func timedRun(_ router: DocumentRouter, _ records: [ProduceRecord]) -> (rounds: Int, bytes: Int, cpu: Double) {
        var completed = 0
        var bytes = 0
        let cpuStart = Self.threadCPUSeconds()
        repeat {
            bytes += timedRound(router, records)
            completed += 1
        } while rounds.map { completed < $0 } ?? (Self.threadCPUSeconds() - cpuStart < seconds)
        return (completed, bytes, Self.threadCPUSeconds() - cpuStart)
    }

    /// `timedRun` on `threads` threads at once, with routers of their own
    /// (or all with `router`, under `--share-router`).
    private func timedRuns(_ router: DocumentRouter, _ records: [ProduceRecord]) throws -> [(rounds: Int, bytes: Int, cpu: Double)] {
        // Every router is made and warmed (like the shared one) before any
        // thread starts, so the threads' timed rounds overlap.
        let routers = try (0..<threads).map { _ in
            guard !shareRouter else { return router }
            let own = try makeRouter()
            for (offset, record) in records.enumerated() { _ = route(own, record, offset: offset) }
            return own
        }
        let results = Mutex<[(rounds: Int, bytes: Int, cpu: Double)]>([])
        let done = DispatchGroup()
        for (index, own) in routers.enumerated() {
            done.enter()
            let thread = Thread {
                let run = timedRun(own, records)
                results.withLock { $0.append(run) }
                done.leave()
            }
            thread.name = "route-bench-\(index)"
            thread.start()
        }
        done.wait()
        return results.withLock { $0 }
    }

    /// Routes every record once; returns the bytes of the bulk items made.
    @inline(never)
    private func timedRound(_ router: DocumentRouter, _ records: [ProduceRecord]) -> Int {
        var bytes = 0
        for (index, record) in records.enumerated() {
            bytes += route(router, record, offset: index).bytes
        }
        return bytes
    }

    private func makeRouter() throws -> DocumentRouter {
        guard let connector else { return DocumentRouter() }
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: connector)))
        let substitution = Substitution(
            environment: { ProcessInfo.processInfo.environment[$0] },
            readFile: { try String(contentsOfFile: $0, encoding: .utf8) })
        return try ConnectorConfig.parse(bytes, substitution: substitution).routing.router
    }

    private func route(_ router: DocumentRouter, _ record: ProduceRecord, offset: Int) -> (kind: Kind, bytes: Int) {
        do {
            switch try router.route(topic: topic, offset: Int64(offset), key: record.key, value: record.value) {
            case .write(let item): return (.write, item.bytes.count)
            case .skip, .deleteAll: return (.skip, 0)
            }
        } catch {
            return (.error, 0)
        }
    }

    private enum Kind { case write, skip, error }

    private struct Outcome {
        var writes = 0
        var skips = 0
        var errors = 0
        mutating func count(_ result: (kind: Kind, bytes: Int)) {
            switch result.kind {
            case .write: writes += 1
            case .skip: skips += 1
            case .error: errors += 1
            }
        }
    }

    /// CPU time of the calling thread.
    private static func threadCPUSeconds() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }
}
