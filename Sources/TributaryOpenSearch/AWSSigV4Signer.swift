import Crypto

#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// AWS Signature Version 4 for HTTP requests sent with headers
/// (`Authorization: AWS4-HMAC-SHA256 …`), as Amazon OpenSearch Service
/// (`es`) and OpenSearch Serverless (`aoss`) require.
///
/// Pure: no I/O and no clock; the caller passes the credentials and the
/// signing time. Checked against the published AWS SigV4 test suite.
public struct AWSSigV4Signer: Sendable {
    /// e.g. `us-east-1`.
    public var region: String
    /// The signing name: `es`, `aoss` (or `service` in the AWS test suite).
    public var service: String

    public init(region: String, service: String) {
        self.region = region
        self.service = service
    }

    /// Signs `request` at `date` and returns the headers to add to it.
    ///
    /// The signed headers are the request's headers plus `x-amz-date`,
    /// `x-amz-content-sha256` (when ``AWSSigV4Request/sendsContentHash``) and
    /// `x-amz-security-token` (for session credentials). Request headers with
    /// those names or `authorization` are ignored: the signer sets them.
    public func sign(_ request: AWSSigV4Request, credentials: AWSCredentials, date: Date) -> AWSSigV4Signature {
        let amzDate = AWSTimestamp.amzDate(date)
        let day = String(amzDate.prefix(8))
        let scope = "\(day)/\(region)/\(service)/aws4_request"

        var added: [(name: String, value: String)] = [("X-Amz-Date", amzDate)]
        if request.sendsContentHash { added.append(("X-Amz-Content-Sha256", request.payloadHash)) }
        if let token = credentials.sessionToken { added.append(("X-Amz-Security-Token", token)) }
        let setBySigner: Set<String> = ["authorization", "x-amz-date", "x-amz-content-sha256", "x-amz-security-token"]
        let toSign = request.headers.filter { !setBySigner.contains($0.name.lowercased()) } + added

        let headers = AWSSigV4Canonical.headers(toSign)
        let canonicalRequest = [
            request.method,
            AWSSigV4Canonical.uri(request.path),
            AWSSigV4Canonical.query(request.query),
            headers.block,
            headers.signedNames,
            request.payloadHash,
        ].joined(separator: "\n")
        let stringToSign = [
            "AWS4-HMAC-SHA256", amzDate, scope, Self.hexSHA256(Array(canonicalRequest.utf8)),
        ].joined(separator: "\n")

        var key = SymmetricKey(data: Array("AWS4\(credentials.secretAccessKey)".utf8))
        for part in [day, region, service, "aws4_request"] {
            key = SymmetricKey(data: Array(HMAC<SHA256>.authenticationCode(for: Array(part.utf8), using: key)))
        }
        let signature = Self.hex(HMAC<SHA256>.authenticationCode(for: Array(stringToSign.utf8), using: key))
        let authorization =
            "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyID)/\(scope), "
            + "SignedHeaders=\(headers.signedNames), Signature=\(signature)"
        return AWSSigV4Signature(
            canonicalRequest: canonicalRequest,
            stringToSign: stringToSign,
            signedHeaders: headers.signedNames,
            signature: signature,
            headers: added + [("Authorization", authorization)]
        )
    }

    /// Lowercase hex SHA-256, the form of `x-amz-content-sha256`.
    public static func hexSHA256(_ bytes: [UInt8]) -> String {
        hex(SHA256.hash(data: bytes))
    }

    static func hex<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// What ``AWSSigV4Signer`` signs: one HTTP request as it goes on the wire.
public struct AWSSigV4Request: Sendable {
    /// `GET`, `POST`, …
    public var method: String
    /// The path as sent, e.g. `/_bulk` or `/idx/_doc/a%20b`. Dot segments are
    /// removed (as libcurl does before sending) and the result is URI-encoded
    /// once more, as SigV4 requires for every service but S3.
    public var path: String
    /// The query as sent, without `?`; empty for none.
    public var query: String
    /// The headers to sign, `Host` included. Names in any case; a repeated
    /// name has its values joined with commas.
    public var headers: [(name: String, value: String)]
    /// Lowercase hex SHA-256 of the exact body bytes (of nothing for no body).
    public var payloadHash: String
    /// Also send and sign `x-amz-content-sha256` (OpenSearch Serverless requires it).
    public var sendsContentHash: Bool

    public init(
        method: String, path: String, query: String = "", headers: [(name: String, value: String)],
        payloadHash: String, sendsContentHash: Bool = true
    ) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.payloadHash = payloadHash
        self.sendsContentHash = sendsContentHash
    }

    /// Hashes `body` for ``payloadHash``.
    public init(
        method: String, path: String, query: String = "", headers: [(name: String, value: String)],
        body: [UInt8], sendsContentHash: Bool = true
    ) {
        self.init(
            method: method, path: path, query: query, headers: headers,
            payloadHash: AWSSigV4Signer.hexSHA256(body), sendsContentHash: sendsContentHash)
    }
}

/// The result of ``AWSSigV4Signer/sign(_:credentials:date:)``: the headers
/// to add, and the intermediate texts (for tests and for debugging a
/// `SignatureDoesNotMatch`, whose response shows AWS's canonical request).
///
/// `description` hides the session token; ``headers`` and
/// ``canonicalRequest`` contain it and must not be logged.
public struct AWSSigV4Signature: Sendable, CustomStringConvertible {
    public var canonicalRequest: String
    public var stringToSign: String
    /// e.g. `content-type;host;x-amz-content-sha256;x-amz-date`.
    public var signedHeaders: String
    /// 64 lowercase hex digits.
    public var signature: String
    /// `X-Amz-Date`, then `X-Amz-Content-Sha256` and `X-Amz-Security-Token`
    /// when they apply, then `Authorization`.
    public var headers: [(name: String, value: String)]

    public var description: String {
        "AWSSigV4Signature(signedHeaders: \(signedHeaders), signature: \(signature))"
    }
}
