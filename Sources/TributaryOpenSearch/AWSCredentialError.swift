/// Why no AWS credentials could be had: a source is misconfigured, an
/// endpoint failed or answered with an error, or no source had any.
///
/// ``message`` names environment variables, files, hosts, HTTP statuses and
/// AWS error codes, never a key, token or password.
public struct AWSCredentialError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { "AWSCredentialError: \(message)" }
}
