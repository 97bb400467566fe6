#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One place AWS credentials can come from. ``AWSCredentialProvider`` tries
/// its sources in order; the first that is configured answers.
///
/// A source that is not configured at all (its variables are unset, its
/// file is missing) is skipped. A source that is configured but fails (a
/// key without its secret, an STS error, an endpoint answering 500) stops
/// the search with that error, so a broken setup is reported rather than
/// silently replaced by another identity.
public enum AWSCredentialSource: Sendable, Equatable, CustomStringConvertible {
    /// `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`.
    case environment
    /// `AWS_WEB_IDENTITY_TOKEN_FILE` + `AWS_ROLE_ARN` [+ `AWS_ROLE_SESSION_NAME`]:
    /// STS `AssumeRoleWithWebIdentity` (EKS IAM roles for service accounts).
    /// STS is `https://sts.<region>.amazonaws.com` unless ``AWSCredentialEndpoints/sts``
    /// or `AWS_ENDPOINT_URL_STS` says otherwise.
    case webIdentity
    /// Static keys of a profile in the shared credentials file
    /// (`AWS_SHARED_CREDENTIALS_FILE`, else `~/.aws/credentials`), then in the
    /// config file (`AWS_CONFIG_FILE`, else `~/.aws/config`). The profile is
    /// the given name, else `AWS_PROFILE`, else `default`.
    case profile(String?)
    /// ECS task roles and EKS Pod Identity: `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI`
    /// (against 169.254.170.2) or `AWS_CONTAINER_CREDENTIALS_FULL_URI`, with
    /// `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE` or `AWS_CONTAINER_AUTHORIZATION_TOKEN`.
    case container
    /// The EC2 instance profile through IMDSv2 (token `PUT`, then `GET`s) at
    /// 169.254.169.254 or `AWS_EC2_METADATA_SERVICE_ENDPOINT`; off when
    /// `AWS_EC2_METADATA_DISABLED=true`.
    case instanceMetadata
    /// Fixed credentials, e.g. from the connector file.
    case `static`(AWSCredentials)

    /// The AWS SDKs' default order.
    public static let defaultChain: [AWSCredentialSource] = [
        .environment, .webIdentity, .profile(nil), .container, .instanceMetadata,
    ]

    public var description: String {
        switch self {
        case .environment: "environment"
        case .webIdentity: "web identity"
        case .profile(let name?): "profile \(name)"
        case .profile(nil): "profile"
        case .container: "container"
        case .instanceMetadata: "instance metadata"
        case .static: "static"
        }
    }

    /// Loads credentials now (blocking for the network sources).
    func load(in context: CredentialContext) throws(AWSCredentialError) -> CredentialLoad {
        switch self {
        case .environment: try Self.loadEnvironment(context)
        case .webIdentity: try Self.loadWebIdentity(context)
        case .profile(let name): try Self.loadProfile(name, context)
        case .container: try Self.loadContainer(context)
        case .instanceMetadata: try Self.loadInstanceMetadata(context)
        case .static(let credentials): .loaded(credentials)
        }
    }
}

/// Where the network sources send their requests. The defaults are AWS's
/// addresses; tests and unusual networks (VPC endpoints, IPv6 IMDS) override them.
public struct AWSCredentialEndpoints: Sendable, Equatable {
    /// STS base URL for ``AWSCredentialSource/webIdentity``; `nil` uses
    /// `AWS_ENDPOINT_URL_STS`, then `AWS_ENDPOINT_URL`, then the regional endpoint.
    public var sts: String?
    /// Base URL that `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` is appended to.
    public var container: String = "http://169.254.170.2"
    /// IMDS base URL; `nil` uses `AWS_EC2_METADATA_SERVICE_ENDPOINT`, then
    /// `http://169.254.169.254`.
    public var instanceMetadata: String?

    public init(sts: String? = nil, container: String = "http://169.254.170.2", instanceMetadata: String? = nil) {
        self.sts = sts
        self.container = container
        self.instanceMetadata = instanceMetadata
    }
}

/// A source's answer: credentials, or why it does not apply here.
enum CredentialLoad {
    case loaded(AWSCredentials)
    case notConfigured(String)
}

/// What the sources read: the environment (injected, so tests never touch
/// the process's), the signing region, the endpoints and the time.
struct CredentialContext: Sendable {
    var environment: [String: String]
    var region: String?
    var endpoints: AWSCredentialEndpoints
    var now: Date

    /// The variable's value, trimmed; `nil` when unset or blank.
    func value(_ name: String) -> String? {
        guard let raw = environment[name] else { return nil }
        let trimmed = raw.trimmingSpaces
        return trimmed.isEmpty ? nil : trimmed
    }

    /// `~/…` expanded against `HOME`.
    func expandingHome(_ path: String) -> String {
        guard path == "~" || path.hasPrefix("~/"), let home = value("HOME") else { return path }
        return home + path.dropFirst()
    }

    /// The file's text with surrounding whitespace trimmed; `nil` when it does not exist.
    func readFile(_ path: String, what: String) throws(AWSCredentialError) -> String? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw AWSCredentialError("cannot read the \(what) \(path)")
        }
        return String(decoding: data, as: UTF8.self).trimmingSpaces
    }
}

extension String {
    /// Without leading and trailing spaces, tabs and line breaks.
    var trimmingSpaces: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0.isNewline }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
