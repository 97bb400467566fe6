import Foundation
import Testing
import TributaryOpenSearch

/// What goes on the wire, seen by a capturing listener: auth, headers,
/// bodies and keep-alive. Also: the password never shows up in errors.
@Suite(.timeLimit(.minutes(1)))
struct WireTests {
    static let password = "s3cr3t-Pässword!"

    @Test func basicAuthHeadersBodyAndKeepAlive() async throws {
        let listener = try TestListener(.respond(status: 200, body: #"{"ok":true}"#))
        defer { listener.stop() }
        var configuration = OpenSearchConfiguration(urls: [listener.url])
        configuration.username = "writer"
        configuration.password = Self.password
        let connection = try OpenSearchConnection(configuration: configuration)

        let bulk = ndjson(#"{"index":{"_index":"t","_id":"1"}}"#, #"{"a":1}"#)
        let first = try await connection.send("POST", "/_bulk?refresh=false", bulk, contentType: "application/x-ndjson")
        #expect(first.status == 200)
        #expect(String(decoding: first.body, as: UTF8.self) == #"{"ok":true}"#)
        let second = try await connection.send("GET", "/t/_doc/1")
        #expect(second.status == 200)

        let requests = listener.requests
        try #require(requests.count == 2)
        let token = Data("writer:\(Self.password)".utf8).base64EncodedString()
        #expect(requests[0].hasPrefix("POST /_bulk?refresh=false HTTP/1.1\r\n"))
        #expect(requests[0].contains("\r\nAuthorization: Basic \(token)\r\n"))
        #expect(requests[0].contains("\r\nContent-Type: application/x-ndjson\r\n"))
        #expect(requests[0].contains("\r\nContent-Length: \(bulk.utf8.count)\r\n"))
        #expect(!requests[0].lowercased().contains("\r\nexpect:"))
        #expect(!requests[0].lowercased().contains("\r\naccept-encoding:"))
        #expect(requests[0].hasSuffix("\r\n\r\n" + bulk))
        #expect(requests[1].hasPrefix("GET /t/_doc/1 HTTP/1.1\r\n"))
        #expect(requests[1].contains("\r\nAuthorization: Basic \(token)\r\n"))

        #expect(listener.acceptedConnections == 1)
        #expect(connection.connectionsOpened == 1)
    }

    @Test func largeBodyIsSentWithoutWaitingFor100Continue() async throws {
        let listener = try TestListener(.respond(status: 200, body: "{}"))
        defer { listener.stop() }
        let connection = try OpenSearchConnection(configuration: .init(urls: [listener.url]))
        // Above libcurl's 1 MiB threshold for adding `Expect: 100-continue`.
        let body = String(repeating: "{\"index\":{}}\n{\"a\":1}\n", count: 80_000)
        let response = try await connection.send("POST", "/_bulk", body, contentType: "application/x-ndjson")
        #expect(response.status == 200)
        let request = try #require(listener.requests.first)
        // With the header, libcurl would wait a full second for `100 Continue`
        // (the listener never sends one). Checked on the wire rather than by
        // the clock, which a loaded machine can stretch past a second too.
        #expect(!request.lowercased().contains("\r\nexpect:"))
        #expect(request.hasSuffix(body))
    }

    @Test func statusCodesPassThroughUnchanged() async throws {
        let listener = try TestListener(.respond(status: 429, body: #"{"error":"too many"}"#))
        defer { listener.stop() }
        let connection = try OpenSearchConnection(configuration: .init(urls: [listener.url]))
        let response = try await connection.send("POST", "/_bulk", "\n", contentType: "application/x-ndjson")
        #expect(response.status == 429)
        #expect(response.url == listener.url + "/_bulk")
    }

    @Test func passwordNeverAppearsInErrorsOrDescriptions() async throws {
        let url = "http://127.0.0.1:\(try TestListener.deadPort())"
        var configuration = OpenSearchConfiguration(urls: [url])
        configuration.username = "writer"
        configuration.password = Self.password
        let connection = try OpenSearchConnection(configuration: configuration)
        let error = try #require(
            await #expect(throws: TransportError.self) {
                try await connection.send("GET", "/")
            })
        var dumped = ""
        dump(configuration, to: &dumped)
        var dumpedError = ""
        dump(error, to: &dumpedError)
        for text in [
            error.description, error.message, error.url, "\(error)", String(reflecting: error), dumpedError,
            configuration.redacted, "\(configuration)", String(reflecting: configuration), dumped,
        ] {
            #expect(!text.contains(Self.password), "leaked in: \(text)")
        }
        #expect(configuration.redacted.contains("writer"))
        #expect(configuration.redacted.contains("<redacted>"))
        #expect(configuration.redacted.contains(url))
    }
}
