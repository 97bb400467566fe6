#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension AWSCredentialSource {
    /// Hosts a plain-`http` `AWS_CONTAINER_CREDENTIALS_FULL_URI` may name:
    /// loopback, the ECS endpoint and the EKS Pod Identity agent (IPv4, IPv6).
    private static let containerHTTPHosts: Set<String> = [
        "localhost", "[::1]", "169.254.170.2", "169.254.170.23", "[fd00:ec2::23]",
    ]

    static func loadContainer(_ context: CredentialContext) throws(AWSCredentialError) -> CredentialLoad {
        let url: String
        if let relative = context.value("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") {
            url = context.endpoints.container.trimmingTrailingSlashes
                + (relative.hasPrefix("/") ? relative : "/" + relative)
        } else if let full = context.value("AWS_CONTAINER_CREDENTIALS_FULL_URI") {
            try checkFullURI(full)
            url = full
        } else {
            return .notConfigured("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and _FULL_URI are not set")
        }
        var headers: [String] = []
        let token: String?
        if let file = context.value("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE") {
            guard let text = try context.readFile(file, what: "container authorization token file") else {
                throw AWSCredentialError("the container authorization token file \(file) does not exist")
            }
            token = text
        } else {
            token = context.value("AWS_CONTAINER_AUTHORIZATION_TOKEN")
        }
        if let token {
            guard CredentialHTTP.isHeaderSafe(token) else {
                throw AWSCredentialError("the container authorization token contains a line break or control character")
            }
            headers.append("Authorization: \(token)")
        }
        headers.append("Accept: application/json")

        let origin = CredentialHTTP.origin(url)
        let response: CredentialHTTP.Response
        do {
            response = try CredentialHTTP.send("GET", url, headers: headers, limits: .container)
        } catch {
            throw AWSCredentialError("container credentials endpoint \(origin) failed: \(error.message)")
        }
        guard response.status == 200 else {
            throw AWSCredentialError("container credentials endpoint \(origin) answered HTTP \(response.status)")
        }
        return .loaded(try CredentialDocument.decode(response.body, from: "container credentials endpoint \(origin)"))
    }

    private static func checkFullURI(_ url: String) throws(AWSCredentialError) {
        let origin = CredentialHTTP.origin(url)
        let lowered = origin.lowercased()
        if lowered.hasPrefix("https://") { return }
        guard lowered.hasPrefix("http://") else {
            throw AWSCredentialError("AWS_CONTAINER_CREDENTIALS_FULL_URI must be http or https: \(origin)")
        }
        var host = String(lowered.dropFirst("http://".count))
        if let colon = host.lastIndex(of: ":"), !host.hasSuffix("]") {
            host = String(host[..<colon])
        }
        guard containerHTTPHosts.contains(host) || host.hasPrefix("127.") else {
            throw AWSCredentialError(
                "AWS_CONTAINER_CREDENTIALS_FULL_URI over plain http must point at loopback or the ECS/EKS "
                    + "agent address, not \(origin)")
        }
    }
}

/// The JSON that the container endpoint and IMDS answer with:
/// `{"AccessKeyId": …, "SecretAccessKey": …, "Token": …, "Expiration": "2015-08-30T12:36:00Z"}`
/// (IMDS adds `"Code": "Success"`).
struct CredentialDocument: Decodable {
    var accessKeyID: String?
    var secretAccessKey: String?
    var token: String?
    var expiration: String?
    var code: String?

    enum CodingKeys: String, CodingKey {
        case accessKeyID = "AccessKeyId"
        case secretAccessKey = "SecretAccessKey"
        case token = "Token"
        case expiration = "Expiration"
        case code = "Code"
    }

    /// Decodes and checks a document; errors name `what`, never the content.
    static func decode(_ body: [UInt8], from what: String) throws(AWSCredentialError) -> AWSCredentials {
        let document: CredentialDocument
        do {
            document = try JSONDecoder().decode(CredentialDocument.self, from: Data(body))
        } catch {
            throw AWSCredentialError("\(what) answered something that is not a credentials JSON object")
        }
        if let code = document.code, code != "Success" {
            throw AWSCredentialError("\(what) answered Code \(code.prefix(64))")
        }
        guard let keyID = document.accessKeyID, !keyID.isEmpty, let secret = document.secretAccessKey,
            !secret.isEmpty
        else {
            throw AWSCredentialError("\(what) answered without AccessKeyId or SecretAccessKey")
        }
        var expiration: Date?
        if let text = document.expiration {
            guard let parsed = AWSTimestamp.parseISO8601(text) else {
                throw AWSCredentialError("\(what) answered an Expiration that is not ISO 8601: \(text.prefix(40))")
            }
            expiration = parsed
        }
        let token = document.token.flatMap { $0.isEmpty ? nil : $0 }
        return AWSCredentials(accessKeyID: keyID, secretAccessKey: secret, sessionToken: token, expiration: expiration)
    }
}

extension String {
    var trimmingTrailingSlashes: String {
        var text = Substring(self)
        while text.hasSuffix("/") { text = text.dropLast() }
        return String(text)
    }
}
