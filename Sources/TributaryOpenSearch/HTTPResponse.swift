/// A complete HTTP response. Any status is a response, not an error:
/// 4xx/5xx (429, 503, ...) are for the caller to classify.
public struct HTTPResponse: Sendable {
    /// The HTTP status code, e.g. 200, 409, 429.
    public var status: Int
    /// The raw body bytes (OpenSearch answers JSON).
    public var body: [UInt8]
    /// The full URL that answered (node base URL plus path), without credentials.
    public var url: String

    public init(status: Int, body: [UInt8], url: String) {
        self.status = status
        self.body = body
        self.url = url
    }
}
