import CCurl

/// The small blocking HTTP client the credential sources use (STS, the
/// container endpoint, IMDS): a fresh libcurl handle per request, since
/// credentials are fetched rarely. TLS is verified against the system store.
enum CredentialHTTP {
    struct Response {
        var status: Int
        var body: [UInt8]
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    /// Per-endpoint budgets, in milliseconds.
    struct Limits {
        var connectTimeoutMs: Int
        var requestTimeoutMs: Int
        /// Link-local metadata endpoints must never go through an HTTP proxy.
        var bypassProxy: Bool

        static let instanceMetadata = Limits(connectTimeoutMs: 1000, requestTimeoutMs: 2000, bypassProxy: true)
        static let container = Limits(connectTimeoutMs: 2000, requestTimeoutMs: 5000, bypassProxy: true)
        static let sts = Limits(connectTimeoutMs: 5000, requestTimeoutMs: 10_000, bypassProxy: false)
    }

    /// Blocking. `headers` are complete lines (`"Name: value"`) that the
    /// caller has checked for line breaks. Any HTTP status is a response.
    static func send(
        _ method: String, _ url: String, headers: [String] = [], body: [UInt8]? = nil, limits: Limits
    ) throws(TransportError) -> Response {
        let easy = try CurlEasy()
        try easy.set(CURLOPT_NOSIGNAL, 1, name: "CURLOPT_NOSIGNAL")
        try easy.set(CURLOPT_PROTOCOLS_STR, "http,https", name: "CURLOPT_PROTOCOLS_STR")
        try easy.set(CURLOPT_FOLLOWLOCATION, 0, name: "CURLOPT_FOLLOWLOCATION")
        try easy.set(CURLOPT_USERAGENT, "tributary", name: "CURLOPT_USERAGENT")
        try easy.set(CURLOPT_CONNECTTIMEOUT_MS, limits.connectTimeoutMs, name: "CURLOPT_CONNECTTIMEOUT_MS")
        try easy.set(CURLOPT_TIMEOUT_MS, limits.requestTimeoutMs, name: "CURLOPT_TIMEOUT_MS")
        try easy.set(CURLOPT_MAXFILESIZE, 1 << 20, name: "CURLOPT_MAXFILESIZE")
        if limits.bypassProxy {
            try easy.set(CURLOPT_NOPROXY, "*", name: "CURLOPT_NOPROXY")
        }
        try easy.setHeaders(CurlHeaderList(headers + ["Expect:"]))
        let (status, bytes) = try easy.perform(method: method, url: url, body: body)
        return Response(status: status, body: bytes)
    }

    /// `scheme://host[:port]` of `url`, for messages: credential URLs can
    /// carry per-task ids in their paths.
    static func origin(_ url: String) -> String {
        guard let schemeEnd = url.firstRange(of: "://") else { return NodeURL.redacting(url) }
        let rest = url[schemeEnd.upperBound...]
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        let host = authority.split(separator: "@").last.map(String.init) ?? ""
        return String(url[..<schemeEnd.upperBound]) + host
    }

    /// Whether `value` can go into a header line unchanged.
    static func isHeaderSafe(_ value: String) -> Bool {
        value.utf8.allSatisfy { $0 >= 0x20 && $0 != 0x7F }
    }
}
