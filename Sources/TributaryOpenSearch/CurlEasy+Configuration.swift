import CCurl

extension CurlEasy {
    /// Applies the options that stay the same for every request of an
    /// ``OpenSearchConnection``: signals off (threads), keep-alive, HTTP/1.1,
    /// http(s) only, timeouts, basic auth and TLS.
    ///
    /// `Accept-Encoding` is left unset, so bodies arrive uncompressed.
    func configure(for configuration: OpenSearchConfiguration) throws(TransportError) {
        guard configuration.connectTimeoutMs > 0 else {
            throw TransportError(kind: .other, message: "connectTimeoutMs must be positive", url: "")
        }
        guard configuration.requestTimeoutMs > 0 else {
            throw TransportError(kind: .other, message: "requestTimeoutMs must be positive", url: "")
        }
        try set(CURLOPT_NOSIGNAL, 1, name: "CURLOPT_NOSIGNAL")
        try set(CURLOPT_TCP_KEEPALIVE, 1, name: "CURLOPT_TCP_KEEPALIVE")
        try set(CURLOPT_TCP_NODELAY, 1, name: "CURLOPT_TCP_NODELAY")
        try set(CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_1_1, name: "CURLOPT_HTTP_VERSION")
        try set(CURLOPT_PROTOCOLS_STR, "http,https", name: "CURLOPT_PROTOCOLS_STR")
        try set(CURLOPT_FOLLOWLOCATION, 0, name: "CURLOPT_FOLLOWLOCATION")
        try set(CURLOPT_USERAGENT, "tributary", name: "CURLOPT_USERAGENT")
        try set(CURLOPT_CONNECTTIMEOUT_MS, configuration.connectTimeoutMs, name: "CURLOPT_CONNECTTIMEOUT_MS")
        try set(CURLOPT_TIMEOUT_MS, configuration.requestTimeoutMs, name: "CURLOPT_TIMEOUT_MS")

        // libcurl's default auth scheme is Basic; the credentials are copied.
        if let username = configuration.username {
            try set(CURLOPT_USERNAME, username, name: "CURLOPT_USERNAME")
            try set(CURLOPT_PASSWORD, configuration.password ?? "", name: "CURLOPT_PASSWORD")
        }

        let verify = configuration.verifyCertificates
        try set(CURLOPT_SSL_VERIFYPEER, verify ? 1 : 0, name: "CURLOPT_SSL_VERIFYPEER")
        try set(CURLOPT_SSL_VERIFYHOST, verify ? 2 : 0, name: "CURLOPT_SSL_VERIFYHOST")
        if let caFile = configuration.caFile {
            try set(CURLOPT_CAINFO, caFile, name: "CURLOPT_CAINFO")
        }
        if let certificate = configuration.clientCertificateFile {
            try set(CURLOPT_SSLCERT, certificate, name: "CURLOPT_SSLCERT")
        }
        if let key = configuration.clientKeyFile {
            try set(CURLOPT_SSLKEY, key, name: "CURLOPT_SSLKEY")
        }
    }
}
