import Foundation
import Testing
import TributaryOpenSearch

/// A real osmem-server process (in-memory OpenSearch) on a free loopback port.
///
/// The binary comes from `OSMEM_SERVER_BIN`, else from the installed
/// `osmem_server` Python package. The server also exits if this test process
/// dies (`-parent-pid`). `-no-ja` skips loading the Japanese analyzer, which
/// otherwise costs about a second on the first index creation.
final class OsmemServer: @unchecked Sendable {
    let url: String
    private let process: Process

    private init(url: String, process: Process) {
        self.url = url
        self.process = process
    }

    /// Starts the server and waits (at most 15 s) until `GET /` answers 200.
    static func start() async throws -> OsmemServer {
        let binary = try locateBinary()
        let port = try TestListener.deadPort()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = [
            "-addr", "127.0.0.1:\(port)", "-no-stdin-watch", "-no-ja",
            "-parent-pid", String(ProcessInfo.processInfo.processIdentifier),
        ]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let server = OsmemServer(url: "http://127.0.0.1:\(port)", process: process)
        do {
            try await server.waitUntilReady(deadline: .now + .seconds(15))
        } catch {
            await server.stop()
            throw error
        }
        return server
    }

    /// Terminates the process and waits for it to exit.
    func stop() async {
        await process.killAndWait()
    }

    private func waitUntilReady(deadline: ContinuousClock.Instant) async throws {
        let configuration = OpenSearchConfiguration(urls: [url])
        while ContinuousClock.now < deadline {
            guard process.isRunning else { throw OsmemError.exited(process.terminationStatus) }
            let status = await onDedicatedThread { () -> Int? in
                let connection = try? OpenSearchConnection(configuration: configuration)
                return try? connection?.perform(method: "GET", path: "/", body: nil, contentType: "application/json").status
            }
            if status == 200 { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw OsmemError.notReady
    }

    private static func locateBinary() throws -> String {
        if let path = ProcessInfo.processInfo.environment["OSMEM_SERVER_BIN"], !path.isEmpty {
            return path
        }
        let python = Process()
        python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        python.arguments = [
            "python3", "-c",
            "import osmem_server,os;print(os.path.join(os.path.dirname(osmem_server.__file__),\"bin\",\"osmem-server\"))",
        ]
        let output = Pipe()
        python.standardOutput = output
        python.standardError = FileHandle.nullDevice
        try python.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        python.waitUntilExit()
        let path = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard python.terminationStatus == 0, FileManager.default.isExecutableFile(atPath: path) else {
            throw OsmemError.binaryNotFound
        }
        return path
    }
}

enum OsmemError: Error {
    case binaryNotFound, notReady
    case exited(Int32)
}

/// Suite trait: one osmem-server for the whole suite, reachable from its
/// tests as `OsmemServer.current`, stopped when the suite ends.
struct OsmemServerTrait: SuiteTrait, TestScoping {
    func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        let server = try await OsmemServer.start()
        do {
            try await OsmemServer.$current.withValue(server, operation: function)
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }
}

extension Trait where Self == OsmemServerTrait {
    /// Runs the suite against its own osmem-server process.
    static var osmemServer: Self { Self() }
}

extension OsmemServer {
    @TaskLocal static var current: OsmemServer?

    /// The suite's server, failing the test if the suite lacks the trait.
    static func required() throws -> OsmemServer {
        try #require(current, "suite needs the .osmemServer trait")
    }
}
