/// A validated node base URL: `http` or `https`, a non-empty host, no
/// credentials, no query or fragment, no trailing slash.
struct NodeURL: Sendable, Equatable {
    /// e.g. `http://127.0.0.1:9200` or `https://proxy/opensearch`.
    let base: String

    /// Fails with ``TransportError/Kind/invalidURL`` (not retryable); the
    /// error shows the URL with any user-info removed.
    init(validating raw: String) throws(TransportError) {
        func invalid(_ reason: String) -> TransportError {
            TransportError(kind: .invalidURL, message: reason, url: NodeURL.redacting(raw))
        }
        var text = Substring(raw.trimmingWhitespace)
        guard let schemeEnd = text.firstRange(of: "://") else {
            throw invalid("node URL has no scheme (expected http:// or https://)")
        }
        let scheme = text[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else {
            throw invalid("unsupported scheme '\(scheme)' (expected http or https)")
        }
        let rest = text[schemeEnd.upperBound...]
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        guard !authority.isEmpty else { throw invalid("node URL has no host") }
        guard !authority.contains("@") else {
            throw invalid("credentials in a node URL are not allowed; set username and password instead")
        }
        guard !rest.contains("?"), !rest.contains("#") else {
            throw invalid("a node URL cannot have a query or fragment")
        }
        while text.hasSuffix("/") { text = text.dropLast() }
        base = scheme + "://" + text[schemeEnd.upperBound...]
    }

    /// The full URL for `path` (e.g. `/_bulk?refresh=false`); a missing
    /// leading slash is added. The path must already be percent-encoded.
    func url(forPath path: String) -> String {
        path.hasPrefix("/") ? base + path : base + "/" + path
    }

    /// `raw` with any `user:password@` removed, for logs and errors.
    static func redacting(_ raw: String) -> String {
        guard let schemeEnd = raw.firstRange(of: "://") else { return raw }
        let rest = raw[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        guard let at = rest[..<authorityEnd].lastIndex(of: "@") else { return raw }
        return String(raw[..<schemeEnd.upperBound]) + "<redacted>@" + String(raw[rest.index(after: at)...])
    }
}

extension String {
    fileprivate var trimmingWhitespace: Substring {
        let isSpace: (Character) -> Bool = { $0.isWhitespace }
        guard let first = firstIndex(where: { !isSpace($0) }) else { return "" }
        let last = lastIndex(where: { !isSpace($0) }) ?? first
        return self[first...last]
    }
}
