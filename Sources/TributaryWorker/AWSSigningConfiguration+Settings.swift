import TributaryCore
import TributaryOpenSearch

extension AWSSigningConfiguration {
    /// The signing configuration for a connector's `connection.aws.*` settings.
    static func from(_ settings: AWSSigningSettings) -> AWSSigningConfiguration {
        let source: AWSCredentialSource
        switch settings.provider {
        case .default:
            return AWSSigningConfiguration(
                region: settings.region, service: service(settings),
                credentials: AWSCredentialProvider(sources: Self.defaultChain(profile: settings.profile), region: settings.region))
        case .environment: source = .environment
        case .webIdentity: source = .webIdentity
        case .profile: source = .profile(settings.profile)
        case .container: source = .container
        case .instanceMetadata: source = .instanceMetadata
        case .static:
            source = .static(
                AWSCredentials(
                    accessKeyID: settings.accessKeyID ?? "", secretAccessKey: settings.secretAccessKey ?? "",
                    sessionToken: settings.sessionToken, expiration: nil))
        }
        return AWSSigningConfiguration(
            region: settings.region, service: service(settings),
            credentials: AWSCredentialProvider(sources: [source], region: settings.region))
    }

    private static func service(_ settings: AWSSigningSettings) -> Service {
        settings.service == "aoss" ? .aoss : .es
    }

    /// The SDK chain, with the configured profile name in its profile step.
    private static func defaultChain(profile: String?) -> [AWSCredentialSource] {
        AWSCredentialSource.defaultChain.map { source in
            if case .profile = source { return .profile(profile) }
            return source
        }
    }
}
