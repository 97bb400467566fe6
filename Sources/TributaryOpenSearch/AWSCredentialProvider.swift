import Synchronization

#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// Finds AWS credentials in its sources (by default the AWS SDKs' chain:
/// environment, web identity, shared files, container, EC2 instance
/// metadata) and caches them until 5 minutes before they expire.
///
/// Threading: thread-safe; share one provider between all connections.
/// ``credentials()`` blocks while a fetch runs (network sources: bounded by
/// 2–10 s timeouts), so call it off Swift's cooperative pool. Only one thread
/// fetches at a time; while the cached credentials are still valid the
/// others keep using them. A failed fetch is repeated at most every 10 s.
public final class AWSCredentialProvider: Sendable, CustomStringConvertible {
    public let sources: [AWSCredentialSource]
    private let context: CredentialContext
    private let clock: @Sendable () -> Date
    private let cache: Mutex<CredentialCache>
    /// Held by the one thread that fetches.
    private let fetching = Mutex(())

    /// - Parameters:
    ///   - sources: tried in order (see ``AWSCredentialSource``).
    ///   - region: the signing region, used for the regional STS endpoint
    ///     when `AWS_REGION` is unset.
    ///   - environment: the variables the sources read; the process's by default.
    ///   - endpoints: where the network sources go; AWS's addresses by default.
    ///   - clock: the wall clock, for expiry decisions (tests move it).
    public init(
        sources: [AWSCredentialSource] = AWSCredentialSource.defaultChain,
        region: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        endpoints: AWSCredentialEndpoints = AWSCredentialEndpoints(),
        clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.sources = sources
        self.context = CredentialContext(environment: environment, region: region, endpoints: endpoints, now: Date())
        self.clock = clock
        self.cache = Mutex(CredentialCache())
    }

    /// Fixed credentials (no lookup, never refreshed).
    public convenience init(credentials: AWSCredentials) {
        self.init(sources: [.static(credentials)], environment: [:])
    }

    /// Valid credentials for signing a request now. Blocking (see the type's
    /// documentation); throws when no source has any or the configured one fails.
    public func credentials() throws(AWSCredentialError) -> AWSCredentials {
        switch cache.withLock({ $0.action(now: clock()) }) {
        case .use(let credentials):
            return credentials
        case .fail(let error):
            throw error
        case .refresh(let fallback?):
            // Someone else refreshing, or the refresh failing, leaves the still-valid ones.
            let fresh = fetching.withLockIfAvailable { _ in fetchAndStore() }
            if case .success(let credentials)? = fresh { return credentials }
            return fallback
        case .refresh(nil):
            let result = fetching.withLock { _ -> Result<AWSCredentials, AWSCredentialError> in
                // Whoever held the lock before may have just fetched.
                switch cache.withLock({ $0.action(now: clock()) }) {
                case .use(let credentials): .success(credentials)
                case .fail(let error): .failure(error)
                case .refresh: fetchAndStore()
                }
            }
            return try result.get()
        }
    }

    public var description: String {
        "AWSCredentialProvider(sources: \(sources.map(\.description).joined(separator: ", ")))"
    }

    /// Tries the sources in order; stores the outcome. Called with `fetching` held.
    private func fetchAndStore() -> Result<AWSCredentials, AWSCredentialError> {
        let now = clock()
        let result = load(now: now)
        cache.withLock { cache in
            switch result {
            case .success(let credentials): cache.refreshed(credentials, at: now)
            case .failure(let error): cache.refreshFailed(error, at: now)
            }
        }
        return result
    }

    private func load(now: Date) -> Result<AWSCredentials, AWSCredentialError> {
        var context = self.context
        context.now = now
        var skipped: [String] = []
        for source in sources {
            do throws(AWSCredentialError) {
                switch try source.load(in: context) {
                case .loaded(let credentials):
                    return .success(credentials)
                case .notConfigured(let reason):
                    skipped.append("\(source): \(reason)")
                }
            } catch {
                return .failure(AWSCredentialError("\(source) credentials: \(error.message)"))
            }
        }
        return .failure(AWSCredentialError("no AWS credentials found (\(skipped.joined(separator: "; ")))"))
    }
}
