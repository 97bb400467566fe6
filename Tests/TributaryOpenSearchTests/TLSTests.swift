import Foundation
import Testing
import TributaryOpenSearch

/// TLS options reach libcurl: CA file, peer verification, client certificate.
/// Runs against `openssl s_server`, which requires a client certificate.
@Suite(
    .enabled(if: TLSServer.isAvailable, "needs /usr/bin/openssl"), .tlsServer, .serialized,
    .timeLimit(.minutes(1)))
struct TLSTests {
    @Test func mutualTLSWithTheRightCAVerifies() async throws {
        let server = try TLSServer.required()
        var configuration = OpenSearchConfiguration(urls: [server.url])
        configuration.caFile = server.certificateFile
        configuration.clientCertificateFile = server.certificateFile
        configuration.clientKeyFile = server.keyFile
        let connection = try OpenSearchConnection(configuration: configuration)
        let response = try await connection.send("GET", "/")
        #expect(response.status == 200)
    }

    @Test func unknownIssuerIsANonRetryableTLSError() async throws {
        let server = try TLSServer.required()
        var configuration = OpenSearchConfiguration(urls: [server.url])
        configuration.clientCertificateFile = server.certificateFile
        configuration.clientKeyFile = server.keyFile
        let connection = try OpenSearchConnection(configuration: configuration)
        let error = await #expect(throws: TransportError.self) {
            try await connection.send("GET", "/")
        }
        #expect(error?.kind == .tls)
        #expect(error?.isRetryable == false)
    }

    @Test func verificationOptOutAcceptsASelfSignedNode() async throws {
        let server = try TLSServer.required()
        var configuration = OpenSearchConfiguration(urls: [server.url])
        configuration.verifyCertificates = false
        configuration.clientCertificateFile = server.certificateFile
        configuration.clientKeyFile = server.keyFile
        let connection = try OpenSearchConnection(configuration: configuration)
        #expect(try await connection.send("GET", "/").status == 200)
    }

    @Test func missingClientCertificateFails() async throws {
        let server = try TLSServer.required()
        var configuration = OpenSearchConfiguration(urls: [server.url])
        configuration.caFile = server.certificateFile
        let connection = try OpenSearchConnection(configuration: configuration)
        // Under TLS 1.3 the server's refusal arrives as an alert on the first
        // read, so libcurl reports a receive error, not a handshake error.
        await #expect(throws: TransportError.self) {
            try await connection.send("GET", "/")
        }
    }
}
