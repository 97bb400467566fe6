/// The one call the rest of Tributary needs from an OpenSearch connection;
/// ``OpenSearchConnection`` is the real one, tests can substitute a fake.
/// Same contract as ``OpenSearchConnection/perform(method:path:body:contentType:)``:
/// blocking, not thread-safe, HTTP statuses are responses.
public protocol OpenSearchTransport: AnyObject, Sendable {
    /// The base URL of the node the next request goes to, without credentials.
    var currentURL: String { get }
    func perform(method: String, path: String, body: [UInt8]?, contentType: String) throws(TransportError) -> HTTPResponse
}

extension OpenSearchConnection: OpenSearchTransport {}
