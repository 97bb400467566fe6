import CCurl

/// Owns one `curl_slist` of request header lines and frees it in `deinit`.
/// Whoever installs it on a handle (``CurlEasy/setHeaders(_:)``) keeps it
/// alive for as long as the handle may use it.
final class CurlHeaderList {
    private(set) var pointer: UnsafeMutablePointer<curl_slist>?

    /// `lines` are complete header lines such as `"Content-Type: application/json"`;
    /// `"Expect:"` (empty value) removes a header libcurl would add itself.
    init(_ lines: [String]) throws(TransportError) {
        for line in lines {
            guard let appended = curl_slist_append(pointer, line) else {
                throw TransportError(kind: .other, message: "out of memory building request headers", url: "")
            }
            pointer = appended
        }
    }

    deinit {
        curl_slist_free_all(pointer)
    }
}
