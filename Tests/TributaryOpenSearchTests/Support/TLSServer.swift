import Foundation
import Testing

/// `openssl s_server -www` on a free loopback port with a fresh self-signed
/// certificate (CN=localhost, SAN IP:127.0.0.1) that also serves as the only
/// accepted client CA, so it demands a client certificate (mutual TLS).
final class TLSServer: @unchecked Sendable {
    static let opensslPath = "/usr/bin/openssl"
    static var isAvailable: Bool { FileManager.default.isExecutableFile(atPath: opensslPath) }

    let port: Int
    let directory: URL
    var certificateFile: String { directory.appendingPathComponent("cert.pem").path }
    var keyFile: String { directory.appendingPathComponent("key.pem").path }
    var url: String { "https://127.0.0.1:\(port)" }
    private let process: Process

    /// Creates the certificate, starts the server and waits (at most 10 s)
    /// until its port accepts connections.
    init() async throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("tributary-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let certificate = directory.appendingPathComponent("cert.pem").path
        let key = directory.appendingPathComponent("key.pem").path
        try await Self.run([
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", key, "-out", certificate, "-days", "2", "-subj", "/CN=localhost",
            "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
        ])
        port = try TestListener.deadPort()
        process = Process()
        process.executableURL = URL(fileURLWithPath: Self.opensslPath)
        process.arguments = [
            "s_server", "-accept", "127.0.0.1:\(port)", "-cert", certificate, "-key", key,
            "-www", "-quiet", "-Verify", "1", "-CAfile", certificate,
        ]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        do {
            // Generous: a loaded 2-core machine (the whole suite in parallel)
            // once took more than 10 s to get s_server listening.
            try await waitUntilListening(deadline: .now + .seconds(30))
        } catch {
            await stop()
            throw error
        }
    }

    func stop() async {
        await process.killAndWait()
        try? FileManager.default.removeItem(at: directory)
    }

    private func waitUntilListening(deadline: ContinuousClock.Instant) async throws {
        while ContinuousClock.now < deadline {
            guard process.isRunning else { throw TLSServerError.exited }
            if TestListener.canConnect(port: port) { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw TLSServerError.notReady
    }

    private static func run(_ arguments: [String]) async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: opensslPath)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let status = await onDedicatedThread { () -> Int32 in
            process.waitUntilExit()
            return process.terminationStatus
        }
        guard status == 0 else { throw TLSServerError.opensslFailed(arguments.first ?? "") }
    }
}

/// Suite trait: one TLS server for the whole suite, reachable from its tests
/// as `TLSServer.current`, stopped (and its files removed) when the suite ends.
struct TLSServerTrait: SuiteTrait, TestScoping {
    func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        let server = try await TLSServer()
        do {
            try await TLSServer.$current.withValue(server, operation: function)
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }
}

extension Trait where Self == TLSServerTrait {
    /// Runs the suite against its own `openssl s_server`.
    static var tlsServer: Self { Self() }
}

extension TLSServer {
    @TaskLocal static var current: TLSServer?

    static func required() throws -> TLSServer {
        try #require(current, "suite needs the .tlsServer trait")
    }
}

enum TLSServerError: Error {
    case exited, notReady
    case opensslFailed(String)
}
