#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The SigV4 part of an ``OpenSearchConnection``: turns one request into the
/// header lines to send, `Host` and the `X-Amz-*` headers included.
struct AWSRequestSigning: Sendable {
    let signer: AWSSigV4Signer
    let provider: AWSCredentialProvider

    /// Rejects a region that cannot be one (it goes into the signed scope).
    init(_ configuration: AWSSigningConfiguration) throws(TransportError) {
        let region = configuration.region
        guard !region.isEmpty,
            region.utf8.allSatisfy({ ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z")) || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || $0 == UInt8(ascii: "-") })
        else {
            throw TransportError(
                kind: .other, message: "AWS region '\(region)' is not valid (expected e.g. us-east-1)", url: "",
                isRetryable: false)
        }
        signer = AWSSigV4Signer(region: region, service: configuration.service.rawValue)
        provider = configuration.credentials
    }

    /// Blocking when the credentials need a refresh. A credential failure is
    /// a retryable ``TransportError/Kind/credentials`` error.
    ///
    /// libcurl is given an explicit `Host` header, so what is signed is what is sent.
    func headerLines(
        method: String, node: NodeURL, path: String, body: [UInt8]?, contentType: String, date: Date
    ) throws(TransportError) -> [String] {
        let url = node.url(forPath: path)
        let credentials: AWSCredentials
        do {
            credentials = try provider.credentials()
        } catch {
            throw TransportError(kind: .credentials, message: "AWS credentials unavailable: \(error.message)", url: url)
        }
        let target = SigningTarget(url: url)
        let headers = [(name: "Host", value: target.host), (name: "Content-Type", value: contentType)]
        let request = AWSSigV4Request(
            method: method, path: target.path, query: target.query, headers: headers, body: body ?? [])
        let signature = signer.sign(request, credentials: credentials, date: date)
        return (headers + signature.headers).map { "\($0.name): \($0.value)" } + ["Expect:"]
    }
}

/// The parts of a full request URL that SigV4 signs.
struct SigningTarget: Equatable {
    /// The authority as libcurl would send it in `Host`: the default port
    /// (80 for http, 443 for https) dropped, any other port kept.
    var host: String
    var path: String
    var query: String

    /// `url` is a validated node URL plus a path (see ``NodeURL/url(forPath:)``).
    init(url: String) {
        let schemeEnd = url.firstRange(of: "://")?.upperBound ?? url.startIndex
        let scheme = url[..<schemeEnd].lowercased()
        let rest = url[schemeEnd...].prefix { $0 != "#" }
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        var host = String(rest[..<authorityEnd])
        let defaultPort = scheme == "https://" ? ":443" : ":80"
        if host.hasSuffix(defaultPort) { host.removeLast(defaultPort.count) }
        self.host = host
        let target = rest[authorityEnd...]
        if let question = target.firstIndex(of: "?") {
            path = String(target[..<question])
            query = String(target[target.index(after: question)...])
        } else {
            path = String(target)
            query = ""
        }
        if path.isEmpty { path = "/" }
    }
}
