extension AWSCredentialSource {
    /// IMDSv2: `PUT /latest/api/token` for a session token, then
    /// `GET /latest/meta-data/iam/security-credentials/` for the role name and
    /// `GET …/security-credentials/<role>` for its credentials, each `GET`
    /// carrying the token. No IMDSv1 fallback.
    ///
    /// An unreachable IMDS (not on EC2) or an instance without a role counts
    /// as "not configured"; any other failure is an error.
    static func loadInstanceMetadata(_ context: CredentialContext) throws(AWSCredentialError) -> CredentialLoad {
        if context.value("AWS_EC2_METADATA_DISABLED")?.lowercased() == "true" {
            return .notConfigured("AWS_EC2_METADATA_DISABLED is true")
        }
        let base = (context.endpoints.instanceMetadata ?? context.value("AWS_EC2_METADATA_SERVICE_ENDPOINT")
            ?? "http://169.254.169.254").trimmingTrailingSlashes
        let origin = CredentialHTTP.origin(base)

        let tokenResponse: CredentialHTTP.Response
        do {
            tokenResponse = try CredentialHTTP.send(
                "PUT", base + "/latest/api/token", headers: ["X-aws-ec2-metadata-token-ttl-seconds: 21600"],
                limits: .instanceMetadata)
        } catch {
            return .notConfigured("instance metadata at \(origin) is unreachable (\(error.message))")
        }
        guard tokenResponse.status == 200 else {
            throw AWSCredentialError("instance metadata at \(origin) answered HTTP \(tokenResponse.status) to the IMDSv2 token request")
        }
        let token = tokenResponse.text.trimmingSpaces
        guard !token.isEmpty, CredentialHTTP.isHeaderSafe(token) else {
            throw AWSCredentialError("instance metadata at \(origin) answered an unusable IMDSv2 token")
        }
        let tokenHeader = "X-aws-ec2-metadata-token: \(token)"

        let rolesPath = base + "/latest/meta-data/iam/security-credentials/"
        let roles = try get(rolesPath, tokenHeader: tokenHeader, origin: origin, what: "role list")
        if roles.status == 404 {
            return .notConfigured("this EC2 instance has no IAM role (instance metadata at \(origin))")
        }
        guard roles.status == 200 else {
            throw AWSCredentialError("instance metadata at \(origin) answered HTTP \(roles.status) for the role list")
        }
        guard let role = roles.text.split(whereSeparator: \.isNewline).map({ String($0).trimmingSpaces }).first(where: { !$0.isEmpty }) else {
            return .notConfigured("this EC2 instance has no IAM role (instance metadata at \(origin))")
        }
        let document = try get(
            rolesPath + AWSSigV4Canonical.encode(role, keepingSlash: false), tokenHeader: tokenHeader, origin: origin,
            what: "role credentials")
        guard document.status == 200 else {
            throw AWSCredentialError("instance metadata at \(origin) answered HTTP \(document.status) for the credentials of role \(role)")
        }
        return .loaded(try CredentialDocument.decode(document.body, from: "instance metadata at \(origin)"))
    }

    private static func get(
        _ url: String, tokenHeader: String, origin: String, what: String
    ) throws(AWSCredentialError) -> CredentialHTTP.Response {
        do {
            return try CredentialHTTP.send("GET", url, headers: [tokenHeader], limits: .instanceMetadata)
        } catch {
            throw AWSCredentialError("instance metadata at \(origin) failed for the \(what): \(error.message)")
        }
    }
}
