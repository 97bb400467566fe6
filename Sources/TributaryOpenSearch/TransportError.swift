/// A request that got no HTTP response: the network, TLS or the request
/// itself failed. HTTP error statuses are not transport errors (see ``HTTPResponse``).
///
/// ``isRetryable`` says whether the same request may succeed later, on this
/// or another node (connection problems, timeouts); `false` means a
/// configuration problem (bad URL, bad certificate) that retrying cannot fix.
/// ``message`` and ``description`` never contain the password or AWS secrets.
public struct TransportError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// TCP connect failed: refused, unreachable, DNS failure.
        case connect
        /// The connect or total request timeout expired.
        case timeout
        /// TLS handshake or certificate failure, or bad TLS files.
        case tls
        /// The connection was reset or closed before a full response arrived.
        case connectionReset
        /// The peer's answer was not valid HTTP.
        case protocolError
        /// The URL is malformed, uses an unsupported scheme or embeds credentials.
        case invalidURL
        /// No AWS credentials for SigV4 signing (none found, or fetching them
        /// failed); nothing was sent. Retryable: a token file, an STS or a
        /// metadata endpoint can recover.
        case credentials
        /// Anything else (out of memory, a libcurl internal error, ...).
        case other
    }

    public var kind: Kind
    /// libcurl's error text (or ours), never credentials.
    public var message: String
    /// The URL the request went to, without credentials.
    public var url: String
    /// Whether retrying (here or on the next node) can succeed.
    public var isRetryable: Bool

    public init(kind: Kind, message: String, url: String, isRetryable: Bool? = nil) {
        self.kind = kind
        self.message = message
        self.url = url
        self.isRetryable = isRetryable ?? kind.isRetryableByDefault
    }

    public var description: String {
        "TransportError(\(kind), \(isRetryable ? "retryable" : "not retryable")): \(message) [\(url)]"
    }
}

extension TransportError.Kind {
    /// connect/timeout/reset/protocol and credentials are transient; URL, TLS and other
    /// failures need a fix, not a retry (a TLS handshake that was cut off is
    /// marked retryable where it is detected).
    var isRetryableByDefault: Bool {
        switch self {
        case .connect, .timeout, .connectionReset, .protocolError, .credentials: true
        case .tls, .invalidURL, .other: false
        }
    }
}
