import CCurl

extension TransportError {
    /// Classifies a failed libcurl transfer. `message` is libcurl's error
    /// buffer text (or `curl_easy_strerror` when the buffer is empty).
    init(curlCode code: CURLcode, message: String, url: String) {
        let (kind, retryable) = Self.classify(code)
        self.init(kind: kind, message: message, url: url, isRetryable: retryable)
    }

    private static func classify(_ code: CURLcode) -> (Kind, Bool?) {
        switch code {
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            (.connect, nil)
        case CURLE_OPERATION_TIMEDOUT:
            (.timeout, nil)
        case CURLE_SEND_ERROR, CURLE_RECV_ERROR, CURLE_GOT_NOTHING, CURLE_PARTIAL_FILE,
            CURLE_SEND_FAIL_REWIND:
            (.connectionReset, nil)
        case CURLE_WEIRD_SERVER_REPLY, CURLE_HTTP2, CURLE_HTTP2_STREAM, CURLE_HTTP3,
            CURLE_BAD_CONTENT_ENCODING, CURLE_TOO_MANY_REDIRECTS:
            (.protocolError, nil)
        case CURLE_SSL_CONNECT_ERROR, CURLE_SSL_SHUTDOWN_FAILED:
            // The handshake itself failed or was cut off (a node restarting,
            // a reset): worth another try, unlike the certificate errors below.
            (.tls, true)
        case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
            CURLE_SSL_CACERT_BADFILE, CURLE_SSL_CRL_BADFILE, CURLE_SSL_ISSUER_ERROR,
            CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ENGINE_SETFAILED, CURLE_SSL_ENGINE_INITFAILED,
            CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_CLIENTCERT,
            CURLE_USE_SSL_FAILED:
            (.tls, false)
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL:
            (.invalidURL, nil)
        default:
            (.other, nil)
        }
    }
}
