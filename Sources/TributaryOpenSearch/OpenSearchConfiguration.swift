/// How to reach an OpenSearch cluster: its nodes, credentials, TLS material and timeouts.
///
/// Credentials are secrets: `description`, `debugDescription`, `redacted` and
/// reflection (`dump`, `Mirror`) never show the password or AWS secrets, and
/// no ``TransportError`` carries them.
public struct OpenSearchConfiguration: Sendable {
    /// Base URLs of the nodes, tried round robin after transport errors,
    /// e.g. `["http://127.0.0.1:9200", "https://os2:9200"]`. Trailing slashes
    /// are tolerated. Only `http` and `https`; no credentials in the URL
    /// (use ``username`` and ``password``).
    public var urls: [String]
    /// HTTP basic-auth user; `nil` sends no `Authorization` header.
    public var username: String?
    /// HTTP basic-auth password. Never logged, described or put in an error.
    public var password: String?
    /// Sign every request with AWS SigV4 (Amazon OpenSearch Service or
    /// Serverless) instead of basic auth; `nil` signs nothing. Setting both
    /// this and ``username``/``password`` is a configuration error.
    public var aws: AWSSigningConfiguration?
    /// PEM bundle of CAs that sign the nodes' certificates; `nil` uses the system store.
    public var caFile: String?
    /// PEM client certificate for mutual TLS.
    public var clientCertificateFile: String?
    /// PEM private key of ``clientCertificateFile``.
    public var clientKeyFile: String?
    /// Verify the peer's certificate chain and host name. `false` is an
    /// explicit insecure opt-out (self-signed development clusters only).
    public var verifyCertificates: Bool = true
    /// Budget for TCP connect plus TLS handshake, in milliseconds. Default 10 s.
    public var connectTimeoutMs: Int = 10_000
    /// Budget for one whole request (connect, send, wait, receive), in
    /// milliseconds. Default 120 s, because bulk requests can be large.
    public var requestTimeoutMs: Int = 120_000

    public init(urls: [String]) {
        self.urls = urls
    }

    /// A one-line description for logs: URLs, user, TLS files and timeouts,
    /// with the password replaced by `<redacted>`.
    public var redacted: String {
        var parts = ["urls: [\(urls.map(NodeURL.redacting).joined(separator: ", "))]"]
        if let username { parts.append("username: \(username)") }
        if password != nil { parts.append("password: <redacted>") }
        if let aws { parts.append("aws: \(aws)") }
        if let caFile { parts.append("caFile: \(caFile)") }
        if let clientCertificateFile { parts.append("clientCertificateFile: \(clientCertificateFile)") }
        if let clientKeyFile { parts.append("clientKeyFile: \(clientKeyFile)") }
        parts.append("verifyCertificates: \(verifyCertificates)")
        parts.append("connectTimeoutMs: \(connectTimeoutMs)")
        parts.append("requestTimeoutMs: \(requestTimeoutMs)")
        return "OpenSearchConfiguration(\(parts.joined(separator: ", ")))"
    }
}

extension OpenSearchConfiguration: CustomStringConvertible, CustomDebugStringConvertible {
    public var description: String { redacted }
    public var debugDescription: String { redacted }
}

extension OpenSearchConfiguration: CustomReflectable {
    /// Hides the password from `dump` and `Mirror`-based printing.
    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "urls": urls.map(NodeURL.redacting),
                "username": username as Any,
                "password": password == nil ? "nil" : "<redacted>",
                "aws": aws.map(\.description) ?? "nil",
                "caFile": caFile as Any,
                "clientCertificateFile": clientCertificateFile as Any,
                "clientKeyFile": clientKeyFile as Any,
                "verifyCertificates": verifyCertificates,
                "connectTimeoutMs": connectTimeoutMs,
                "requestTimeoutMs": requestTimeoutMs,
            ]
        )
    }
}
