#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The refresh policy of ``AWSCredentialProvider`` as a value: what to do
/// for a request at `now`, given the cached credentials and the last attempt.
///
/// - Credentials without an expiry are used forever.
/// - Temporary credentials are refreshed from ``refreshMargin`` before they
///   expire. While they are still usable (until ``usableMargin`` before the
///   expiry), callers use them and only one refreshes; a failed refresh keeps them.
/// - After any attempt, the next optional refresh waits ``retryInterval``,
///   and with nothing usable the last error is repeated for that long, so a
///   broken endpoint is not hammered by every writer thread.
struct CredentialCache: Sendable {
    enum Action: Equatable {
        /// Sign with these.
        case use(AWSCredentials)
        /// Fetch new ones. `fallback` is still usable: take it if someone
        /// else is already refreshing or the refresh fails.
        case refresh(fallback: AWSCredentials?)
        /// Nothing usable and the last attempt failed a moment ago.
        case fail(AWSCredentialError)
    }

    var refreshMargin: TimeInterval = 300
    var usableMargin: TimeInterval = 10
    var retryInterval: TimeInterval = 10

    private(set) var credentials: AWSCredentials?
    private(set) var lastAttempt: Date?
    private(set) var lastError: AWSCredentialError?

    func action(now: Date) -> Action {
        let triedRecently = lastAttempt.map { now < $0 + retryInterval && now >= $0 } ?? false
        guard let credentials, isUsable(credentials, now: now) else {
            if triedRecently, let lastError { return .fail(lastError) }
            return .refresh(fallback: nil)
        }
        guard let expiration = credentials.expiration, now >= expiration - refreshMargin, !triedRecently else {
            return .use(credentials)
        }
        return .refresh(fallback: credentials)
    }

    mutating func refreshed(_ credentials: AWSCredentials, at now: Date) {
        self.credentials = credentials
        lastAttempt = now
        lastError = nil
    }

    mutating func refreshFailed(_ error: AWSCredentialError, at now: Date) {
        lastAttempt = now
        lastError = error
    }

    func isUsable(_ credentials: AWSCredentials, now: Date) -> Bool {
        credentials.expiration.map { now < $0 - usableMargin } ?? true
    }
}
