#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One keep-alive HTTP connection to an OpenSearch cluster: one libcurl easy
/// handle, reused for every request, so consecutive requests to the same node
/// share one TCP connection.
///
/// Threading: NOT thread-safe. Each writer thread owns its own connection;
/// `Sendable` only so it can be handed to that thread. ``perform(method:path:body:contentType:)``
/// blocks the calling thread: never call it on Swift's cooperative pool.
///
/// Failover: after a transport error (no HTTP response) the connection moves
/// to the next URL, round robin, for the next call. It never retries by
/// itself; the caller decides, guided by ``TransportError/isRetryable``.
/// HTTP error statuses (409, 429, 503, ...) are responses, not errors, and do
/// not move the connection.
///
/// AWS: with ``OpenSearchConfiguration/aws`` set, every request is signed
/// with SigV4 over its exact method, path, query, `Host`, `Content-Type` and
/// body bytes. Getting the credentials may block (a refresh); failing to get
/// them throws ``TransportError/Kind/credentials`` without sending anything
/// or moving to another node.
public final class OpenSearchConnection: @unchecked Sendable {
    private let nodes: [NodeURL]
    private var nodeIndex: Int
    private let easy: CurlEasy
    private let password: String?
    private let signing: AWSRequestSigning?
    private var headerContentType: String?

    /// The total number of TCP connections opened so far (1 while keep-alive
    /// holds; grows after failovers and server-side closes).
    public private(set) var connectionsOpened = 0

    /// Validates the URLs and prepares the handle; opens no connection yet.
    /// `startIndex` picks the first node (taken modulo the URL count), so
    /// several connections can spread over the cluster.
    /// Throws ``TransportError/Kind/invalidURL`` for an empty or bad URL list
    /// and `.other` for non-positive timeouts, an invalid AWS region or basic
    /// auth together with AWS signing; none is retryable.
    public init(configuration: OpenSearchConfiguration, startIndex: Int = 0) throws(TransportError) {
        guard !configuration.urls.isEmpty else {
            throw TransportError(kind: .invalidURL, message: "no OpenSearch URLs configured", url: "")
        }
        if let aws = configuration.aws {
            guard configuration.username == nil, configuration.password == nil else {
                throw TransportError(
                    kind: .other,
                    message: "basic auth (username/password) and AWS SigV4 signing are mutually exclusive; configure one",
                    url: "", isRetryable: false)
            }
            signing = try AWSRequestSigning(aws)
        } else {
            signing = nil
        }
        var nodes: [NodeURL] = []
        for raw in configuration.urls {
            nodes.append(try NodeURL(validating: raw))
        }
        self.nodes = nodes
        nodeIndex = ((startIndex % nodes.count) + nodes.count) % nodes.count
        password = configuration.password.flatMap { $0.isEmpty ? nil : $0 }
        easy = try CurlEasy()
        try easy.configure(for: configuration)
    }

    /// The base URL of the node the next request goes to, without credentials.
    public var currentURL: String { nodes[nodeIndex].base }

    /// Blocking. Sends one request to the current node and returns its
    /// response, whatever the status.
    ///
    /// - Parameters:
    ///   - method: an HTTP method token such as `GET`, `PUT`, `POST`, `DELETE`, `HEAD`.
    ///   - path: percent-encoded path plus optional query, e.g. `/_bulk` or `/idx/_doc/1?refresh=true`.
    ///   - body: sent as is; `nil` sends no body for GET/HEAD and an empty one otherwise.
    ///     Only borrowed for the duration of the call.
    ///   - contentType: the `Content-Type` header, e.g. `application/x-ndjson`.
    /// - Throws: ``TransportError`` when no HTTP response arrived. A request the
    ///   caller built wrongly (bad method, path or header) and missing AWS
    ///   credentials throw without moving to the next node; any other error moves it.
    public func perform(method: String, path: String, body: [UInt8]?, contentType: String) throws(TransportError) -> HTTPResponse {
        let node = nodes[nodeIndex]
        let url = node.url(forPath: path)
        try RequestShape.validate(method: method, path: path, contentType: contentType, url: url)
        let signedHeaders = try signing?.headerLines(
            method: method, node: node, path: path, body: body, contentType: contentType, date: Date())
        do throws(TransportError) {
            if let signedHeaders {
                try easy.setHeaders(CurlHeaderList(signedHeaders))
                headerContentType = nil
            } else {
                try useHeaders(contentType: contentType)
            }
            let (status, bytes) = try easy.perform(method: method, url: url, body: body)
            connectionsOpened += easy.connectionsOpenedByLastTransfer
            return HTTPResponse(status: status, body: bytes, url: url)
        } catch {
            connectionsOpened += easy.connectionsOpenedByLastTransfer
            nodeIndex = (nodeIndex + 1) % nodes.count
            throw scrubbed(error)
        }
    }

    /// Rebuilds the header list only when the content type changes.
    private func useHeaders(contentType: String) throws(TransportError) {
        guard contentType != headerContentType else { return }
        // "Expect:" stops libcurl from waiting for `100 Continue` on large bodies.
        try easy.setHeaders(CurlHeaderList(["Content-Type: \(contentType)", "Expect:"]))
        headerContentType = contentType
    }

    /// Belt and braces: libcurl has no reason to echo the password, but an
    /// error message must never carry it.
    private func scrubbed(_ error: TransportError) -> TransportError {
        guard let password, error.message.contains(password) else { return error }
        var clean = error
        clean.message = error.message.replacing(password, with: "<redacted>")
        return clean
    }
}
