import Testing
import TributaryOpenSearch

@Suite struct ConfigurationTests {
    @Test func defaults() {
        let configuration = OpenSearchConfiguration(urls: ["http://127.0.0.1:9200"])
        #expect(configuration.verifyCertificates)
        #expect(configuration.connectTimeoutMs == 10_000)
        #expect(configuration.requestTimeoutMs == 120_000)
        #expect(configuration.username == nil && configuration.password == nil)
    }

    @Test func trailingSlashesAndSchemeCaseAreNormalized() throws {
        let connection = try OpenSearchConnection(configuration: .init(urls: ["HTTP://127.0.0.1:9200//"]))
        #expect(connection.currentURL == "http://127.0.0.1:9200")
        let prefixed = try OpenSearchConnection(configuration: .init(urls: [" https://proxy.local/opensearch/ "]))
        #expect(prefixed.currentURL == "https://proxy.local/opensearch")
    }

    @Test(arguments: [(0, "http://a:1"), (1, "http://b:2"), (5, "http://b:2"), (-1, "http://b:2")])
    func startIndexPicksTheFirstNode(startIndex: Int, expected: String) throws {
        let connection = try OpenSearchConnection(
            configuration: .init(urls: ["http://a:1", "http://b:2"]), startIndex: startIndex)
        #expect(connection.currentURL == expected)
    }

    @Test func nonPositiveTimeoutsAreRejected() {
        var configuration = OpenSearchConfiguration(urls: ["http://127.0.0.1:9200"])
        configuration.requestTimeoutMs = 0
        let error = #expect(throws: TransportError.self) {
            try OpenSearchConnection(configuration: configuration)
        }
        #expect(error?.isRetryable == false)
        #expect(error?.message.contains("requestTimeoutMs") == true)
    }

    @Test func retryabilityFollowsTheKind() {
        let retryable: [TransportError.Kind] = [.connect, .timeout, .connectionReset, .protocolError, .credentials]
        let permanent: [TransportError.Kind] = [.tls, .invalidURL, .other]
        for kind in retryable {
            #expect(TransportError(kind: kind, message: "", url: "").isRetryable)
        }
        for kind in permanent {
            #expect(!TransportError(kind: kind, message: "", url: "").isRetryable)
        }
    }
}
