import Foundation
import Testing
import TributaryOpenSearch

/// SigV4 on the wire, seen by a capturing listener: the headers' shape, and a
/// signature that verifies when recomputed from the request as received.
/// Also: basic auth and SigV4 exclude each other, credential failures are
/// retryable and send nothing, and no secret shows up anywhere.
@Suite(.timeLimit(.minutes(1)))
struct AWSWireTests {
    static let secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYWIRETESTKEY"
    static let token = "IQoJb3JpZ2luX2VjEWIRE/session+token=="
    static let credentials = AWSCredentials(accessKeyID: "ASIAWIRE", secretAccessKey: secret, sessionToken: token)

    static func configuration(_ urls: [String], service: AWSSigningConfiguration.Service = .es) -> OpenSearchConfiguration {
        var configuration = OpenSearchConfiguration(urls: urls)
        configuration.aws = AWSSigningConfiguration(
            region: "eu-west-1", service: service, credentials: AWSCredentialProvider(credentials: credentials))
        return configuration
    }

    @Test(arguments: [AWSSigningConfiguration.Service.es, .aoss])
    func everyRequestIsSignedAndVerifies(service: AWSSigningConfiguration.Service) async throws {
        let listener = try TestListener(.respond(status: 200, body: "{}"))
        defer { listener.stop() }
        let connection = try OpenSearchConnection(configuration: Self.configuration([listener.url], service: service))

        let bulk = ndjson(#"{"index":{"_index":"t","_id":"é 1"}}"#, #"{"a":"ü"}"#)
        _ = try await connection.send("POST", "/_bulk?refresh=false", bulk, contentType: "application/x-ndjson")
        _ = try await connection.send("GET", "/t/_doc/a%20b%2Fc?routing=x&_source=false")
        _ = try await connection.send("PUT", "/t", "Param1=value1", contentType: "application/x-www-form-urlencoded")
        #expect(listener.acceptedConnections == 1)

        let requests = listener.requests.map(CapturedRequest.init)
        try #require(requests.count == 3)
        #expect(requests.map(\.target) == ["/_bulk?refresh=false", "/t/_doc/a%20b%2Fc?routing=x&_source=false", "/t"])
        for request in requests {
            let authorization = try #require(request.header("Authorization"))
            let match = try #require(
                authorization.wholeMatch(
                    of: /AWS4-HMAC-SHA256 Credential=ASIAWIRE\/(\d{8})\/eu-west-1\/(es|aoss)\/aws4_request, SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date;x-amz-security-token, Signature=([0-9a-f]{64})/
                ))
            #expect(match.2 == service.rawValue)
            let amzDate = try #require(request.header("X-Amz-Date"))
            #expect(amzDate.hasPrefix(match.1))
            #expect(request.header("Host") == "127.0.0.1:\(listener.port)")
            #expect(request.header("X-Amz-Security-Token") == Self.token)
            #expect(request.header("X-Amz-Content-Sha256") == AWSSigV4Signer.hexSHA256(Array(request.body.utf8)))

            // What arrived verifies: recompute the signature from it.
            let date = try #require(Self.parseAmzDate(amzDate))
            let received = AWSSigV4Request(
                method: request.method, path: request.path, query: request.query,
                headers: [("Host", request.header("Host") ?? ""), ("Content-Type", request.header("Content-Type") ?? "")],
                body: Array(request.body.utf8))
            let expected = AWSSigV4Signer(region: "eu-west-1", service: service.rawValue)
                .sign(received, credentials: Self.credentials, date: date)
            #expect(authorization == expected.headers.last?.value)
        }
        // The suite's known hashes: an empty body, and post-x-www-form-urlencoded's body.
        #expect(requests[1].header("X-Amz-Content-Sha256") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(requests[2].header("X-Amz-Content-Sha256") == "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e")
    }

    @Test func hostHeaderKeepsAPortAndThePathPrefix() async throws {
        let listener = try TestListener(.respond(status: 200, body: "{}"))
        defer { listener.stop() }
        // `localhost` instead of 127.0.0.1: the Host header follows the configured URL.
        let connection = try OpenSearchConnection(configuration: Self.configuration(["http://localhost:\(listener.port)/prefix"]))
        _ = try await connection.send("GET", "/_cluster/health")
        let request = try #require(listener.requests.first.map(CapturedRequest.init))
        #expect(request.header("Host") == "localhost:\(listener.port)")
        #expect(request.target == "/prefix/_cluster/health")
    }

    @Test func basicAuthAndSigV4AreMutuallyExclusive() {
        var configuration = Self.configuration(["http://127.0.0.1:9200"])
        configuration.username = "writer"
        configuration.password = "pw"
        let error = #expect(throws: TransportError.self) { try OpenSearchConnection(configuration: configuration) }
        #expect(error?.isRetryable == false)
        #expect(error?.message.contains("mutually exclusive") == true)
    }

    @Test func invalidRegionIsRejected() {
        var configuration = Self.configuration(["http://127.0.0.1:9200"])
        configuration.aws?.region = "EU West 1"
        let error = #expect(throws: TransportError.self) { try OpenSearchConnection(configuration: configuration) }
        #expect(error?.isRetryable == false)
        #expect(error?.message.contains("region") == true)
    }

    @Test func credentialFailureIsRetryableSendsNothingAndStaysOnTheNode() async throws {
        let openSearch = try TestListener(.respond(status: 200, body: "{}"))
        defer { openSearch.stop() }
        let credentialsEndpoint = try TestListener(.respond(status: 500, body: ""))
        defer { credentialsEndpoint.stop() }
        var configuration = OpenSearchConfiguration(urls: [openSearch.url, "http://127.0.0.1:\(try TestListener.deadPort())"])
        configuration.aws = AWSSigningConfiguration(
            region: "eu-west-1", service: .aoss,
            credentials: AWSCredentialProvider(
                sources: [.container],
                environment: [
                    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/creds", "AWS_CONTAINER_AUTHORIZATION_TOKEN": "container-secret-token",
                ],
                endpoints: AWSCredentialEndpoints(container: credentialsEndpoint.url)))
        let connection = try OpenSearchConnection(configuration: configuration)
        let error = try await #require(throws: TransportError.self) { try await connection.send("GET", "/") }
        #expect(error.kind == .credentials)
        #expect(error.isRetryable)
        #expect(error.message.hasPrefix("AWS credentials unavailable: container credentials:"))
        #expect(!"\(error)".contains("container-secret-token"))
        #expect(openSearch.requests.isEmpty)
        #expect(connection.currentURL == openSearch.url)
    }

    @Test func secretsNeverAppearInDescriptionsOrErrors() async throws {
        let url = "http://127.0.0.1:\(try TestListener.deadPort())"
        let configuration = Self.configuration([url])
        let connection = try OpenSearchConnection(configuration: configuration)
        let error = try await #require(throws: TransportError.self) { try await connection.send("GET", "/") }
        let aws = try #require(configuration.aws)
        var texts = [
            error.description, "\(error)", String(reflecting: error), configuration.redacted, "\(configuration)",
            String(reflecting: configuration), "\(aws)", "\(aws.credentials)", "\(Self.credentials)",
            String(reflecting: Self.credentials),
        ]
        for value in [configuration as Any, error, Self.credentials, aws] {
            var dumped = ""
            dump(value, to: &dumped)
            texts.append(dumped)
        }
        for text in texts {
            #expect(!text.contains(Self.secret), "secret leaked in: \(text)")
            #expect(!text.contains(Self.token), "token leaked in: \(text)")
        }
        #expect(configuration.redacted.contains("region: eu-west-1, service: es"))
        #expect("\(Self.credentials)".contains("ASIAWIRE"))
    }

    /// `20150830T123600Z` → Date.
    static func parseAmzDate(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return formatter.date(from: text)
    }
}
