import Foundation
import Testing
import TributaryOpenSearch

/// Each credential source against files in a temporary folder and loopback
/// listeners standing in for STS, the ECS/EKS container endpoint and IMDS.
/// The environment is always injected; no test reads or changes the process's,
/// and none contacts an AWS address.
@Suite(.timeLimit(.minutes(1)))
struct AWSCredentialSourceTests {
    static let expiration = "2015-08-30T13:36:00Z"
    static let expirationDate = Date(timeIntervalSince1970: 1_440_941_760)

    // MARK: Environment

    @Test func environmentVariables() async throws {
        let provider = AWSCredentialProvider(
            sources: [.environment],
            environment: ["AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "env-secret", "AWS_SESSION_TOKEN": "env-token"])
        let credentials = try await provider.fetch()
        #expect(credentials == AWSCredentials(accessKeyID: "AKIDENV", secretAccessKey: "env-secret", sessionToken: "env-token"))
    }

    @Test func halfConfiguredEnvironmentIsAnErrorWithoutTheSecret() async throws {
        let provider = AWSCredentialProvider(environment: ["AWS_SECRET_ACCESS_KEY": "lonely-secret", "HOME": "/nonexistent"])
        let error = try await #require(throws: AWSCredentialError.self) { try await provider.fetch() }
        #expect(error.message.contains("AWS_ACCESS_KEY_ID is not"))
        #expect(!"\(error)".contains("lonely-secret"))
    }

    // MARK: Shared files

    @Test func sharedCredentialsAndConfigFiles() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write(
            ".aws/credentials",
            """
            [default]
            aws_access_key_id = AKIDDEFAULT
            aws_secret_access_key = default-secret

            [writer]
            aws_access_key_id=AKIDWRITER
            aws_secret_access_key=writer-secret
            aws_session_token=writer-token
            """)
        try directory.write(
            ".aws/config",
            """
            [default]
            region = eu-west-1
            [profile from-config]
            aws_access_key_id = AKIDCONFIG
            aws_secret_access_key = config-secret
            [profile assumer]
            role_arn = arn:aws:iam::123456789012:role/other
            source_profile = default
            """)
        let home = ["HOME": directory.path]
        func load(_ source: AWSCredentialSource = .profile(nil), _ extra: [String: String] = [:]) async throws(AWSCredentialError) -> AWSCredentials {
            try await AWSCredentialProvider(sources: [source], environment: home.merging(extra) { $1 }).fetch()
        }

        #expect(try await load().accessKeyID == "AKIDDEFAULT")
        let writer = try await load(.profile(nil), ["AWS_PROFILE": "writer"])
        #expect(writer == AWSCredentials(accessKeyID: "AKIDWRITER", secretAccessKey: "writer-secret", sessionToken: "writer-token"))
        #expect(try await load(.profile("from-config")).secretAccessKey == "config-secret")

        let missing = try await #require(throws: AWSCredentialError.self) { try await load(.profile(nil), ["AWS_PROFILE": "nope"]) }
        #expect(missing.message.contains("profile 'nope' is not in"))
        let assumer = try await #require(throws: AWSCredentialError.self) { try await load(.profile("assumer")) }
        #expect(assumer.message.contains("role_arn"))

        // Explicit file locations win over ~/.aws.
        let other = try directory.write("elsewhere/creds", "[default]\naws_access_key_id=AKIDOTHER\naws_secret_access_key=s\n")
        #expect(try await load(.profile(nil), ["AWS_SHARED_CREDENTIALS_FILE": other]).accessKeyID == "AKIDOTHER")
    }

    // MARK: Container (ECS, EKS Pod Identity)

    @Test func containerRelativeURIWithToken() async throws {
        let listener = try TestListener(
            .handler { request in
                CapturedRequest(request).target == "/v2/credentials/task-guid"
                    ? (200, credentialJSON(keyID: "AKIDECS", secret: "ecs-secret", token: "ecs-session", expiration: Self.expiration))
                    : (404, "")
            })
        defer { listener.stop() }
        let provider = AWSCredentialProvider(
            sources: [.container],
            environment: ["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/v2/credentials/task-guid", "AWS_CONTAINER_AUTHORIZATION_TOKEN": "ecs-auth"],
            endpoints: AWSCredentialEndpoints(container: listener.url))
        let credentials = try await provider.fetch()
        #expect(
            credentials
                == AWSCredentials(accessKeyID: "AKIDECS", secretAccessKey: "ecs-secret", sessionToken: "ecs-session", expiration: Self.expirationDate))
        let request = try #require(listener.requests.first.map(CapturedRequest.init))
        #expect(request.method == "GET")
        #expect(request.header("Authorization") == "ecs-auth")
    }

    @Test func podIdentityFullURIWithTokenFile() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let tokenFile = try directory.write("eks-pod-identity-token", "pod-identity-jwt\n")
        let listener = try TestListener(
            .respond(status: 200, body: credentialJSON(keyID: "AKIDEKS", secret: "eks-secret", token: "eks-session", expiration: Self.expiration)))
        defer { listener.stop() }
        let provider = AWSCredentialProvider(
            sources: [.container],
            environment: [
                "AWS_CONTAINER_CREDENTIALS_FULL_URI": listener.url + "/v1/credentials",
                "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": tokenFile,
                "AWS_CONTAINER_AUTHORIZATION_TOKEN": "ignored-when-the-file-is-set",
            ])
        #expect(try await provider.fetch().accessKeyID == "AKIDEKS")
        let request = try #require(listener.requests.first.map(CapturedRequest.init))
        #expect(request.target == "/v1/credentials")
        #expect(request.header("Authorization") == "pod-identity-jwt")
    }

    @Test func plainHTTPFullURIMustBeLocal() async throws {
        let provider = AWSCredentialProvider(
            sources: [.container], environment: ["AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://example.com/creds"])
        let error = try await #require(throws: AWSCredentialError.self) { try await provider.fetch() }
        #expect(error.message.contains("loopback"))
    }

    @Test func containerFailureNamesTheStatusNotTheToken() async throws {
        let listener = try TestListener(.respond(status: 500, body: #"{"message":"boom"}"#))
        defer { listener.stop() }
        let provider = AWSCredentialProvider(
            sources: [.container],
            environment: ["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/creds", "AWS_CONTAINER_AUTHORIZATION_TOKEN": "container-secret-token"],
            endpoints: AWSCredentialEndpoints(container: listener.url))
        let error = try await #require(throws: AWSCredentialError.self) { try await provider.fetch() }
        #expect(error.message.contains("HTTP 500"))
        #expect(!error.message.contains("container-secret-token"))
    }

    // MARK: EC2 instance metadata (IMDSv2)

    @Test func instanceMetadataV2() async throws {
        let listener = try TestListener(
            .handler { text in
                let request = CapturedRequest(text)
                switch (request.method, request.target) {
                case ("PUT", "/latest/api/token") where request.header("X-aws-ec2-metadata-token-ttl-seconds") == "21600":
                    return (200, "imds-session-token")
                case (_, _) where request.header("X-aws-ec2-metadata-token") != "imds-session-token":
                    return (401, "")
                case ("GET", "/latest/meta-data/iam/security-credentials/"):
                    return (200, "tributary-role\n")
                case ("GET", "/latest/meta-data/iam/security-credentials/tributary-role"):
                    return (200, credentialJSON(keyID: "AKIDEC2", secret: "ec2-secret", token: "ec2-session", expiration: Self.expiration, code: "Success"))
                default:
                    return (404, "")
                }
            })
        defer { listener.stop() }
        // The SDKs' standard override variable points IMDS at the listener.
        let provider = AWSCredentialProvider(
            sources: [.instanceMetadata], environment: ["AWS_EC2_METADATA_SERVICE_ENDPOINT": listener.url])
        let credentials = try await provider.fetch()
        #expect(
            credentials
                == AWSCredentials(accessKeyID: "AKIDEC2", secretAccessKey: "ec2-secret", sessionToken: "ec2-session", expiration: Self.expirationDate))
        #expect(listener.requests.map { CapturedRequest($0).method } == ["PUT", "GET", "GET"])
    }

    @Test func instanceWithoutRoleOrMetadataIsSkipped() async throws {
        let noRole = try TestListener(
            .handler { text in CapturedRequest(text).method == "PUT" ? (200, "t") : (404, "") })
        defer { noRole.stop() }
        let dead = "http://127.0.0.1:\(try TestListener.deadPort())"
        for (endpoint, reason) in [(noRole.url, "has no IAM role"), (dead, "is unreachable")] {
            let provider = AWSCredentialProvider(
                sources: [.instanceMetadata], environment: [:], endpoints: AWSCredentialEndpoints(instanceMetadata: endpoint))
            let error = try await #require(throws: AWSCredentialError.self) { try await provider.fetch() }
            #expect(error.message.hasPrefix("no AWS credentials found"))
            #expect(error.message.contains(reason))
        }
    }

    @Test func rejectedTokenRequestIsAnError() async throws {
        let listener = try TestListener(.respond(status: 403, body: ""))
        defer { listener.stop() }
        let provider = AWSCredentialProvider(
            sources: [.instanceMetadata], environment: [:], endpoints: AWSCredentialEndpoints(instanceMetadata: listener.url))
        let error = try await #require(throws: AWSCredentialError.self) { try await provider.fetch() }
        #expect(error.message.contains("HTTP 403"))
    }

    // MARK: Web identity (EKS IRSA)

    static let roleARN = "arn:aws:iam::123456789012:role/tributary-writer"
    static let stsAnswer = """
        <AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
          <AssumeRoleWithWebIdentityResult>
            <Credentials>
              <AccessKeyId>ASIASTS</AccessKeyId>
              <SecretAccessKey>sts-secret</SecretAccessKey>
              <SessionToken>sts-session</SessionToken>
              <Expiration>\(expiration)</Expiration>
            </Credentials>
          </AssumeRoleWithWebIdentityResult>
        </AssumeRoleWithWebIdentityResponse>
        """

    @Test func webIdentityAssumesTheRole() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let tokenFile = try directory.write("token", "eyJhbGciOiJSUzI1NiJ9.irsa-jwt.sig\n")
        let listener = try TestListener(.respond(status: 200, body: Self.stsAnswer))
        defer { listener.stop() }
        let provider = AWSCredentialProvider(
            sources: [.webIdentity],
            environment: [
                "AWS_WEB_IDENTITY_TOKEN_FILE": tokenFile, "AWS_ROLE_ARN": Self.roleARN,
                "AWS_ROLE_SESSION_NAME": "tributary-test", "AWS_ENDPOINT_URL_STS": listener.url,
            ])
        let credentials = try await provider.fetch()
        #expect(
            credentials
                == AWSCredentials(accessKeyID: "ASIASTS", secretAccessKey: "sts-secret", sessionToken: "sts-session", expiration: Self.expirationDate))

        let request = try #require(listener.requests.first.map(CapturedRequest.init))
        #expect(request.method == "POST" && request.target == "/")
        #expect(request.header("Content-Type")?.hasPrefix("application/x-www-form-urlencoded") == true)
        #expect(request.header("Authorization") == nil)
        let form = Dictionary(
            uniqueKeysWithValues: request.body.split(separator: "&").map { pair in
                let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).removingPercentEncoding ?? "" }
                return (parts[0], parts.count > 1 ? parts[1] : "")
            })
        #expect(
            form == [
                "Action": "AssumeRoleWithWebIdentity", "Version": "2011-06-15", "RoleArn": Self.roleARN,
                "RoleSessionName": "tributary-test", "WebIdentityToken": "eyJhbGciOiJSUzI1NiJ9.irsa-jwt.sig",
            ])
    }

    @Test func stsErrorNamesTheCodeNotTheToken() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let tokenFile = try directory.write("token", "irsa-secret-jwt")
        let listener = try TestListener(
            .respond(
                status: 400,
                body: "<ErrorResponse><Error><Type>Sender</Type><Code>InvalidIdentityToken</Code><Message>Incorrect token audience</Message></Error></ErrorResponse>"))
        defer { listener.stop() }
        let provider = AWSCredentialProvider(
            sources: [.webIdentity], region: "eu-west-1",
            environment: ["AWS_WEB_IDENTITY_TOKEN_FILE": tokenFile, "AWS_ROLE_ARN": Self.roleARN],
            endpoints: AWSCredentialEndpoints(sts: listener.url))
        let error = try await #require(throws: AWSCredentialError.self) { try await provider.fetch() }
        #expect(error.message.contains("HTTP 400 InvalidIdentityToken: Incorrect token audience"))
        #expect(error.message.contains(Self.roleARN))
        #expect(!"\(error)".contains("irsa-secret-jwt"))
    }

    @Test func webIdentityNeedsARole() async throws {
        let provider = AWSCredentialProvider(sources: [.webIdentity], environment: ["AWS_WEB_IDENTITY_TOKEN_FILE": "/x"])
        let error = try await #require(throws: AWSCredentialError.self) { try await provider.fetch() }
        #expect(error.message.contains("AWS_ROLE_ARN"))
    }

    // MARK: The chain

    @Test func environmentWinsWithoutTouchingTheNetwork() async throws {
        let provider = AWSCredentialProvider(environment: [
            "AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "s",
            // Would fail if tried: nothing listens there.
            "AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://127.0.0.1:\(try TestListener.deadPort())/",
        ])
        #expect(try await provider.fetch().accessKeyID == "AKIDENV")
    }

    @Test func chainFallsThroughToTheContainer() async throws {
        let listener = try TestListener(
            .respond(status: 200, body: credentialJSON(keyID: "AKIDECS", secret: "s", token: "t", expiration: Self.expiration)))
        defer { listener.stop() }
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let provider = AWSCredentialProvider(
            environment: ["HOME": directory.path, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/creds"],
            endpoints: AWSCredentialEndpoints(container: listener.url))
        #expect(try await provider.fetch().accessKeyID == "AKIDECS")
    }

    @Test func emptyChainSaysWhatItTried() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let provider = AWSCredentialProvider(environment: ["HOME": directory.path, "AWS_EC2_METADATA_DISABLED": "true"])
        let error = try await #require(throws: AWSCredentialError.self) { try await provider.fetch() }
        for part in ["environment: AWS_ACCESS_KEY_ID is not set", "web identity:", "profile: profile 'default' is not in", "container:", "instance metadata: AWS_EC2_METADATA_DISABLED"] {
            #expect(error.message.contains(part), "\(part)")
        }
    }
}

extension AWSCredentialProvider {
    /// `credentials()` on a dedicated thread (it may block on the network).
    func fetch() async throws(AWSCredentialError) -> AWSCredentials {
        try await onDedicatedThread { () throws(AWSCredentialError) -> AWSCredentials in try self.credentials() }
    }
}
