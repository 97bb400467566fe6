import Foundation
import Synchronization
import Testing
import TributaryOpenSearch

/// Caching and refresh of ``AWSCredentialProvider`` with a hand-moved clock,
/// against a container endpoint that hands out numbered, hour-long credentials.
@Suite(.timeLimit(.minutes(1)))
struct AWSCredentialProviderTests {
    /// A container-credentials stand-in: answer n is `AKID<n>`, valid for an
    /// hour from the clock's time; `failing` makes it answer 500.
    final class Endpoint: Sendable {
        final class State: Sendable {
            let failing = Mutex(false)
            let served = Mutex(0)
        }

        let clock: ManualClock
        let state = State()
        let listener: TestListener

        init(clock: ManualClock, delay: TimeInterval = 0) throws {
            self.clock = clock
            listener = try TestListener(
                .handler { [clock, state] _ in
                    if delay > 0 { Thread.sleep(forTimeInterval: delay) }
                    if state.failing.withLock({ $0 }) { return (500, "") }
                    let number = state.served.withLock { count in
                        count += 1
                        return count
                    }
                    return (
                        200,
                        credentialJSON(
                            keyID: "AKID\(number)", secret: "secret-\(number)", token: "token-\(number)",
                            expiration: ISO8601DateFormatter().string(from: clock.now + 3600))
                    )
                })
        }

        func fail(_ failing: Bool) { state.failing.withLock { $0 = failing } }

        var requestCount: Int { listener.requests.count }

        func provider() -> AWSCredentialProvider {
            AWSCredentialProvider(
                sources: [.container], environment: ["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/creds"],
                endpoints: AWSCredentialEndpoints(container: listener.url), clock: clock.function)
        }
    }

    @Test func refreshesFiveMinutesBeforeExpiryAndRidesOutFailures() async throws {
        let clock = ManualClock(Date(timeIntervalSince1970: 1_440_936_000))
        let endpoint = try Endpoint(clock: clock)
        defer { endpoint.listener.stop() }
        let provider = endpoint.provider()

        #expect(try await provider.fetch().accessKeyID == "AKID1")
        clock.advance(by: 60)
        #expect(try await provider.fetch().accessKeyID == "AKID1")
        #expect(endpoint.requestCount == 1)

        // 56 minutes in: within 5 minutes of the expiry, so a refresh.
        clock.advance(by: 55 * 60)
        #expect(try await provider.fetch().accessKeyID == "AKID2")
        #expect(endpoint.requestCount == 2)

        // A failed refresh keeps the still-valid credentials, and is not
        // repeated on every call.
        endpoint.fail(true)
        clock.advance(by: 56 * 60)
        #expect(try await provider.fetch().accessKeyID == "AKID2")
        #expect(try await provider.fetch().accessKeyID == "AKID2")
        #expect(endpoint.requestCount == 3)

        // Past their usable life, the failure surfaces, and is repeated
        // without a new request for a few seconds.
        clock.advance(by: 4 * 60)
        let error = try await #require(throws: AWSCredentialError.self) { try await provider.fetch() }
        #expect(error.message.contains("HTTP 500"))
        #expect(try await #require(throws: AWSCredentialError.self) { try await provider.fetch() } == error)
        #expect(endpoint.requestCount == 4)

        endpoint.fail(false)
        clock.advance(by: 11)
        #expect(try await provider.fetch().accessKeyID == "AKID3")
    }

    @Test func concurrentCallersShareOneFetch() async throws {
        let clock = ManualClock(Date(timeIntervalSince1970: 1_440_936_000))
        let endpoint = try Endpoint(clock: clock, delay: 0.3)
        defer { endpoint.listener.stop() }
        let provider = endpoint.provider()
        let keys = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<8 {
                group.addTask { try await provider.fetch().accessKeyID }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(keys == Array(repeating: "AKID1", count: 8))
        #expect(endpoint.requestCount == 1)
    }

    @Test func staticCredentialsNeverExpire() throws {
        let credentials = AWSCredentials(accessKeyID: "AKID", secretAccessKey: "s")
        let provider = AWSCredentialProvider(credentials: credentials)
        #expect(try provider.credentials() == credentials)
        #expect(provider.description == "AWSCredentialProvider(sources: static)")
    }
}
