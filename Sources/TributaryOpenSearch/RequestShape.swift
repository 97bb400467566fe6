/// Checks a request's method, path and content type before they reach
/// libcurl, so a caller's mistake cannot inject into the request line or
/// headers. Violations are `.invalidURL` or `.other`, never retryable.
enum RequestShape {
    static func validate(method: String, path: String, contentType: String, url: String) throws(TransportError) {
        guard !method.isEmpty, method.utf8.allSatisfy({ isTokenByte($0) }) else {
            throw TransportError(kind: .other, message: "invalid HTTP method '\(method)'", url: url, isRetryable: false)
        }
        guard path.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw TransportError(
                kind: .invalidURL, message: "path must be percent-encoded ASCII without spaces", url: url)
        }
        guard contentType.utf8.allSatisfy({ $0 >= 0x20 && $0 != 0x7F }) else {
            throw TransportError(kind: .other, message: "content type contains control characters", url: url)
        }
    }

    /// RFC 9110 `tchar`: letters, digits and ``!#$%&'*+-.^_`|~``.
    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default:
            "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
    }
}
