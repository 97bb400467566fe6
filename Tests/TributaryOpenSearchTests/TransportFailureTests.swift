import Foundation
import Testing
import TributaryOpenSearch

/// Transport failures against local sockets: each maps to its kind and
/// retryability, within its time budget.
@Suite(.timeLimit(.minutes(1)))
struct TransportFailureTests {
    @Test func connectionRefusedIsARetryableConnectError() async throws {
        let url = "http://127.0.0.1:\(try TestListener.deadPort())"
        let connection = try OpenSearchConnection(configuration: .init(urls: [url]))
        let error = await #expect(throws: TransportError.self) {
            try await connection.send("GET", "/")
        }
        #expect(error?.kind == .connect)
        #expect(error?.isRetryable == true)
        #expect(error?.url == url + "/")
        #expect(error?.message.isEmpty == false)
    }

    @Test func silentServerHitsTheRequestTimeout() async throws {
        let listener = try TestListener(.silent)
        defer { listener.stop() }
        var configuration = OpenSearchConfiguration(urls: [listener.url])
        configuration.requestTimeoutMs = 300
        let connection = try OpenSearchConnection(configuration: configuration)

        let (error, seconds) = await measure {
            await #expect(throws: TransportError.self) {
                try await connection.send("POST", "/_bulk", "{}\n", contentType: "application/x-ndjson")
            }
        }
        #expect(error?.kind == .timeout)
        #expect(error?.isRetryable == true)
        #expect(seconds >= 0.25)
        #expect(seconds < 3)
    }

    @Test func serverClosingAtOnceIsARetryableReset() async throws {
        let listener = try TestListener(.closeImmediately)
        defer { listener.stop() }
        let connection = try OpenSearchConnection(configuration: .init(urls: [listener.url]))
        let error = await #expect(throws: TransportError.self) {
            try await connection.send("GET", "/")
        }
        #expect(error?.kind == .connectionReset || error?.kind == .protocolError)
        #expect(error?.isRetryable == true)
    }

    @Test func tlsHandshakeCutOffIsATLSError() async throws {
        let listener = try TestListener(.closeImmediately)
        defer { listener.stop() }
        let connection = try OpenSearchConnection(configuration: .init(urls: ["https://127.0.0.1:\(listener.port)"]))
        let error = await #expect(throws: TransportError.self) {
            try await connection.send("GET", "/")
        }
        #expect(error?.kind == .tls)
        #expect(error?.isRetryable == true)
    }

    @Test func missingCAFileIsANonRetryableTLSError() async throws {
        let listener = try TestListener(.silent)
        defer { listener.stop() }
        var configuration = OpenSearchConfiguration(urls: ["https://127.0.0.1:\(listener.port)"])
        configuration.caFile = "/nonexistent/tributary-ca.pem"
        configuration.requestTimeoutMs = 2_000
        let connection = try OpenSearchConnection(configuration: configuration)
        let error = await #expect(throws: TransportError.self) {
            try await connection.send("GET", "/")
        }
        #expect(error?.kind == .tls)
        #expect(error?.isRetryable == false)
    }

    @Test(arguments: [
        [],
        ["ftp://127.0.0.1:9200"],
        ["127.0.0.1:9200"],
        ["http://"],
        ["http://127.0.0.1:9200?x=1"],
        ["http://127.0.0.1:9200", "http://admin:hunter2@127.0.0.1:9201"],
    ])
    func badURLsAreRejectedUpFront(urls: [String]) throws {
        let error = #expect(throws: TransportError.self) {
            try OpenSearchConnection(configuration: .init(urls: urls))
        }
        #expect(error?.kind == .invalidURL)
        #expect(error?.isRetryable == false)
        #expect(error?.description.contains("hunter2") == false)
    }

    @Test func malformedRequestsFailWithoutMovingToTheNextNode() async throws {
        let connection = try OpenSearchConnection(
            configuration: .init(urls: ["http://127.0.0.1:1", "http://127.0.0.1:2"]))
        let badMethod = await #expect(throws: TransportError.self) {
            try await connection.send("GET /x HTTP/1.1\r\n", "/")
        }
        #expect(badMethod?.isRetryable == false)
        let badPath = await #expect(throws: TransportError.self) {
            try await connection.send("GET", "/a b")
        }
        #expect(badPath?.kind == .invalidURL)
        let badHeader = await #expect(throws: TransportError.self) {
            try await connection.send("GET", "/", contentType: "text/plain\r\nX-Evil: 1")
        }
        #expect(badHeader?.isRetryable == false)
        #expect(connection.currentURL == "http://127.0.0.1:1")
    }
}
