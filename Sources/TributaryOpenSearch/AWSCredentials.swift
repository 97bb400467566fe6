#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// An AWS access key pair, with the session token and expiry of temporary
/// credentials (STS, container, instance metadata).
///
/// The secret access key and the session token are secrets: `description`,
/// `debugDescription` and reflection (`dump`, `Mirror`) show only the access
/// key id, whether a token is present and the expiry.
public struct AWSCredentials: Sendable, Equatable {
    public var accessKeyID: String
    /// Never logged, described or put in an error.
    public var secretAccessKey: String
    /// Sent as `X-Amz-Security-Token`; never logged, described or put in an error.
    public var sessionToken: String?
    /// When temporary credentials stop working; `nil` for long-term keys.
    public var expiration: Date?

    public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil, expiration: Date? = nil) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
        self.expiration = expiration
    }
}

extension AWSCredentials: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String {
        var parts = ["accessKeyID: \(accessKeyID)", "secretAccessKey: <redacted>"]
        if sessionToken != nil { parts.append("sessionToken: <redacted>") }
        if let expiration { parts.append("expiration: \(AWSTimestamp.amzDate(expiration))") }
        return "AWSCredentials(\(parts.joined(separator: ", ")))"
    }

    public var debugDescription: String { description }

    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "accessKeyID": accessKeyID,
                "secretAccessKey": "<redacted>",
                "sessionToken": sessionToken == nil ? "nil" : "<redacted>",
                "expiration": expiration as Any,
            ]
        )
    }
}
