#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension AWSCredentialSource {
    /// `AssumeRoleWithWebIdentity` with the token in `AWS_WEB_IDENTITY_TOKEN_FILE`
    /// (re-read on every refresh: Kubernetes rotates it). The call is not
    /// signed; the token is the proof.
    static func loadWebIdentity(_ context: CredentialContext) throws(AWSCredentialError) -> CredentialLoad {
        guard let tokenFile = context.value("AWS_WEB_IDENTITY_TOKEN_FILE") else {
            return .notConfigured("AWS_WEB_IDENTITY_TOKEN_FILE is not set")
        }
        guard let roleARN = context.value("AWS_ROLE_ARN") else {
            throw AWSCredentialError("AWS_WEB_IDENTITY_TOKEN_FILE is set but AWS_ROLE_ARN is not")
        }
        guard let token = try context.readFile(tokenFile, what: "web identity token file"), !token.isEmpty else {
            throw AWSCredentialError("the web identity token file \(tokenFile) is missing or empty")
        }
        let sessionName =
            context.value("AWS_ROLE_SESSION_NAME")
            ?? "tributary-\(Int64(context.now.timeIntervalSince1970 * 1000))"
        let endpoint = stsEndpoint(context)
        let form = [
            ("Action", "AssumeRoleWithWebIdentity"), ("Version", "2011-06-15"), ("RoleArn", roleARN),
            ("RoleSessionName", sessionName), ("WebIdentityToken", token),
        ].map { AWSSigV4Canonical.encode($0.0, keepingSlash: false) + "=" + AWSSigV4Canonical.encode($0.1, keepingSlash: false) }
            .joined(separator: "&")

        let origin = CredentialHTTP.origin(endpoint)
        let what = "STS AssumeRoleWithWebIdentity at \(origin) for \(roleARN)"
        let response: CredentialHTTP.Response
        do {
            response = try CredentialHTTP.send(
                "POST", endpoint + "/",
                headers: ["Content-Type: application/x-www-form-urlencoded; charset=utf-8", "Accept: application/xml"],
                body: Array(form.utf8), limits: .sts)
        } catch {
            throw AWSCredentialError("\(what) failed: \(error.message)")
        }
        let xml = response.text
        guard response.status == 200 else {
            let code = STSXML.value(of: "Code", in: xml[...]).map { " \($0.prefix(64))" } ?? ""
            var detail = STSXML.value(of: "Message", in: xml[...]).map { ": \($0.prefix(200))" } ?? ""
            if detail.contains(token) { detail = "" }
            throw AWSCredentialError("\(what) answered HTTP \(response.status)\(code)\(detail)")
        }
        guard let credentials = STSXML.credentials(in: xml) else {
            throw AWSCredentialError("\(what) answered without usable Credentials")
        }
        return .loaded(credentials)
    }

    /// `AWS_ENDPOINT_URL_STS` / `AWS_ENDPOINT_URL`, else the regional endpoint
    /// of `AWS_REGION` / `AWS_DEFAULT_REGION` / the signing region, else the global one.
    private static func stsEndpoint(_ context: CredentialContext) -> String {
        if let endpoint = context.endpoints.sts ?? context.value("AWS_ENDPOINT_URL_STS")
            ?? context.value("AWS_ENDPOINT_URL")
        {
            return endpoint.trimmingTrailingSlashes
        }
        guard let region = context.value("AWS_REGION") ?? context.value("AWS_DEFAULT_REGION") ?? context.region,
            !region.isEmpty
        else {
            return "https://sts.amazonaws.com"
        }
        return region.hasPrefix("cn-") ? "https://sts.\(region).amazonaws.com.cn" : "https://sts.\(region).amazonaws.com"
    }
}

/// Just enough XML for STS answers: the text of the first `<Name>…</Name>`,
/// entity-decoded. STS's documents are flat and machine-written.
enum STSXML {
    static func credentials(in xml: String) -> AWSCredentials? {
        guard let block = element("Credentials", in: xml[...]),
            let keyID = value(of: "AccessKeyId", in: block), !keyID.isEmpty,
            let secret = value(of: "SecretAccessKey", in: block), !secret.isEmpty,
            let token = value(of: "SessionToken", in: block), !token.isEmpty,
            let expirationText = value(of: "Expiration", in: block),
            let expiration = AWSTimestamp.parseISO8601(expirationText)
        else { return nil }
        return AWSCredentials(accessKeyID: keyID, secretAccessKey: secret, sessionToken: token, expiration: expiration)
    }

    static func value(of name: String, in xml: Substring) -> String? {
        element(name, in: xml).map { decodeEntities(String($0)).trimmingSpaces }
    }

    private static func element(_ name: String, in xml: Substring) -> Substring? {
        guard let open = xml.firstRange(of: "<\(name)>"),
            let close = xml[open.upperBound...].firstRange(of: "</\(name)>")
        else { return nil }
        return xml[open.upperBound..<close.lowerBound]
    }

    private static func decodeEntities(_ text: String) -> String {
        guard text.contains("&") else { return text }
        return text.replacing("&lt;", with: "<").replacing("&gt;", with: ">").replacing("&quot;", with: "\"")
            .replacing("&apos;", with: "'").replacing("&#xA;", with: "\n").replacing("&#xD;", with: "\r")
            .replacing("&amp;", with: "&")
    }
}
