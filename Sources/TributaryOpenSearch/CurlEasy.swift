import CCurl

/// Owns one libcurl easy handle (`curl_easy_cleanup` in `deinit`) and all the
/// memory libcurl points into while it lives: the error buffer, the response
/// sink and the installed header list. The handle keeps its connection cache,
/// so consecutive transfers to the same node reuse one TCP connection.
///
/// Not thread-safe: one thread at a time. ``perform(method:url:body:)`` blocks.
final class CurlEasy {
    private let handle: UnsafeMutableRawPointer
    private let errorBuffer: UnsafeMutablePointer<CChar>
    private let sink = ResponseSink()
    private var headers: CurlHeaderList?

    init() throws(TransportError) {
        let initCode = ccurl_global_init_once()
        guard initCode == CURLE_OK else {
            throw TransportError(kind: .other, message: "curl_global_init failed: \(Self.text(initCode))", url: "")
        }
        guard let handle = curl_easy_init() else {
            throw TransportError(kind: .other, message: "curl_easy_init failed", url: "")
        }
        self.handle = handle
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
        try check(ccurl_easy_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer), "CURLOPT_ERRORBUFFER")
        try check(ccurl_easy_setopt_write_callback(handle, ResponseSink.writeCallback), "CURLOPT_WRITEFUNCTION")
        let sinkPointer = Unmanaged.passUnretained(sink).toOpaque()
        try check(ccurl_easy_setopt_pointer(handle, CURLOPT_WRITEDATA, sinkPointer), "CURLOPT_WRITEDATA")
    }

    deinit {
        curl_easy_cleanup(handle)
        errorBuffer.deallocate()
    }

    // MARK: Options

    func set(_ option: CURLoption, _ value: Int, name: String) throws(TransportError) {
        try check(ccurl_easy_setopt_long(handle, option, value), name)
    }

    /// libcurl copies the string; `nil` resets the option to its default.
    func set(_ option: CURLoption, _ value: String?, name: String) throws(TransportError) {
        let code: CURLcode =
            if let value {
                value.withCString { ccurl_easy_setopt_string(handle, option, $0) }
            } else {
                ccurl_easy_setopt_string(handle, option, nil)
            }
        try check(code, name)
    }

    /// Installs `list` as `CURLOPT_HTTPHEADER` and keeps it alive until replaced.
    func setHeaders(_ list: CurlHeaderList) throws(TransportError) {
        try check(ccurl_easy_setopt_slist(handle, CURLOPT_HTTPHEADER, list.pointer), "CURLOPT_HTTPHEADER")
        headers = list
    }

    // MARK: Transfer

    /// Blocking: sends one request and waits for the whole response or a
    /// failure (bounded by the handle's timeouts). Any HTTP status is a
    /// success here. `body` is lent to libcurl only for the duration of the call.
    func perform(method: String, url: String, body: [UInt8]?) throws(TransportError) -> (status: Int, body: [UInt8]) {
        try set(CURLOPT_URL, url, name: "CURLOPT_URL")
        // Reset the method state a previous request may have left behind.
        try set(CURLOPT_HTTPGET, 1, name: "CURLOPT_HTTPGET")
        try set(CURLOPT_NOBODY, method == "HEAD" ? 1 : 0, name: "CURLOPT_NOBODY")
        try set(CURLOPT_CUSTOMREQUEST, method == "HEAD" ? nil : method, name: "CURLOPT_CUSTOMREQUEST")
        sink.reset()
        errorBuffer[0] = 0

        let sendsBody = body != nil || !(method == "GET" || method == "HEAD")
        let code: CURLcode
        if sendsBody {
            // libcurl needs a non-NULL pointer even for an empty body (with NULL
            // it would read stdin), so an empty body borrows a one-byte placeholder.
            let count = body?.count ?? 0
            let storage: [UInt8] = if let body, !body.isEmpty { body } else { Self.emptyBody }
            code = try storage.withUnsafeBufferPointer { buffer throws(TransportError) in
                try transferLending(body: buffer, count: count)
            }
        } else {
            code = curl_easy_perform(handle)
        }
        guard code == CURLE_OK else {
            let buffered = String(cString: errorBuffer)
            let message = buffered.isEmpty ? Self.text(code) : buffered
            throw TransportError(curlCode: code, message: message, url: url)
        }
        var status = 0
        _ = ccurl_easy_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        return (status, sink.take())
    }

    /// How many new connections the last transfer had to open (0 when it
    /// reused a kept-alive one).
    var connectionsOpenedByLastTransfer: Int {
        var count = 0
        _ = ccurl_easy_getinfo_long(handle, CURLINFO_NUM_CONNECTS, &count)
        return count
    }

    private static let emptyBody: [UInt8] = [0]

    /// Runs the transfer with `body` lent to libcurl (no copy), then makes
    /// libcurl forget the pointer.
    private func transferLending(body: UnsafeBufferPointer<UInt8>, count: Int) throws(TransportError) -> CURLcode {
        guard let base = body.baseAddress else {
            throw TransportError(kind: .other, message: "request body has no storage", url: "")
        }
        try setBodySize(Int64(count))
        let pointer = UnsafeMutableRawPointer(mutating: base)
        try check(ccurl_easy_setopt_pointer(handle, CURLOPT_POSTFIELDS, pointer), "CURLOPT_POSTFIELDS")
        let code = curl_easy_perform(handle)
        // Forget the pointer now that the body goes out of scope.
        _ = ccurl_easy_setopt_pointer(handle, CURLOPT_POSTFIELDS, nil)
        return code
    }

    private func setBodySize(_ size: Int64) throws(TransportError) {
        try check(ccurl_easy_setopt_off_t(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(size)), "CURLOPT_POSTFIELDSIZE_LARGE")
    }

    private func check(_ code: CURLcode, _ name: String) throws(TransportError) {
        guard code == CURLE_OK else {
            throw TransportError(curlCode: code, message: "setting \(name) failed: \(Self.text(code))", url: "")
        }
    }

    private static func text(_ code: CURLcode) -> String {
        curl_easy_strerror(code).map { String(cString: $0) } ?? "CURLcode \(code.rawValue)"
    }
}
