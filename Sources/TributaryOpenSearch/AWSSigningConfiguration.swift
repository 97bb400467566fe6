/// Sign every request with AWS Signature Version 4 instead of basic auth:
/// for Amazon OpenSearch Service domains (`es`) and OpenSearch Serverless
/// collections (`aoss`).
public struct AWSSigningConfiguration: Sendable, CustomStringConvertible {
    /// The AWS signing name of the endpoint.
    public enum Service: String, Sendable, CaseIterable {
        /// Amazon OpenSearch Service (managed domains).
        case es
        /// Amazon OpenSearch Serverless (collections).
        case aoss
    }

    /// e.g. `eu-west-1`: the region of the domain or collection.
    public var region: String
    public var service: Service
    /// Shared by every connection made from this configuration (a class), so
    /// all writer threads use one cache.
    public var credentials: AWSCredentialProvider

    /// `credentials` defaults to the AWS SDKs' chain (``AWSCredentialSource/defaultChain``).
    public init(region: String, service: Service = .es, credentials: AWSCredentialProvider? = nil) {
        self.region = region
        self.service = service
        self.credentials = credentials ?? AWSCredentialProvider(region: region)
    }

    public var description: String {
        "AWSSigningConfiguration(region: \(region), service: \(service.rawValue), credentials: \(credentials))"
    }
}
