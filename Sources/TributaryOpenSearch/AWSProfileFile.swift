/// The INI format of `~/.aws/credentials` and `~/.aws/config`: `[section]`
/// headers, `key = value` lines, `#` and `;` comment lines. Indented lines
/// (nested settings such as `s3 =` blocks) are skipped.
struct AWSProfileFile {
    /// Profile name → lowercased key → value.
    private(set) var profiles: [String: [String: String]] = [:]

    /// In the config file a profile's section is `[profile NAME]` (or
    /// `[default]`); other sections (`[sso-session …]`, `[services …]`) are
    /// not profiles. In the credentials file it is `[NAME]`.
    init(parsing text: String, isConfigFile: Bool) {
        var current: String?
        for rawLine in text.split(omittingEmptySubsequences: true, whereSeparator: \.isNewline) {
            guard let first = rawLine.first, first != " ", first != "\t" else { continue }
            let line = String(rawLine).trimmingSpaces
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("[") {
                current = Self.profileName(section: line, isConfigFile: isConfigFile)
                if let current, profiles[current] == nil { profiles[current] = [:] }
                continue
            }
            guard let current, let equals = line.firstIndex(of: "=") else { continue }
            let key = String(line[..<equals]).trimmingSpaces.lowercased()
            let value = String(line[line.index(after: equals)...]).trimmingSpaces
            profiles[current, default: [:]][key] = value
        }
    }

    private static func profileName(section line: String, isConfigFile: Bool) -> String? {
        guard let close = line.lastIndex(of: "]") else { return nil }
        let inner = String(line[line.index(after: line.startIndex)..<close]).trimmingSpaces
        guard isConfigFile else { return inner.isEmpty ? nil : inner }
        if inner == "default" { return inner }
        guard inner.hasPrefix("profile ") || inner.hasPrefix("profile\t") else { return nil }
        let name = String(inner.dropFirst("profile".count)).trimmingSpaces
        return name.isEmpty ? nil : name
    }
}

extension AWSCredentialSource {
    /// Settings that mean "this profile gets credentials some other way",
    /// which Tributary does not implement; such a profile is an error rather
    /// than a silent fall-through to the next source.
    private static let unsupportedProfileKeys = [
        "role_arn", "credential_process", "sso_session", "sso_start_url", "web_identity_token_file",
        "credential_source",
    ]

    static func loadProfile(_ name: String?, _ context: CredentialContext) throws(AWSCredentialError) -> CredentialLoad {
        let chosen = name ?? context.value("AWS_PROFILE") ?? context.value("AWS_DEFAULT_PROFILE")
        let profile = chosen ?? "default"
        let credentialsPath = context.expandingHome(
            context.value("AWS_SHARED_CREDENTIALS_FILE") ?? "~/.aws/credentials")
        let configPath = context.expandingHome(context.value("AWS_CONFIG_FILE") ?? "~/.aws/config")

        var found: [(file: String, settings: [String: String])] = []
        for (path, isConfig) in [(credentialsPath, false), (configPath, true)] {
            guard !path.hasPrefix("~"), let text = try context.readFile(path, what: "AWS shared file") else { continue }
            if let settings = AWSProfileFile(parsing: text, isConfigFile: isConfig).profiles[profile] {
                found.append((path, settings))
            }
        }
        for (file, settings) in found {
            let keyID = settings["aws_access_key_id"].flatMap { $0.isEmpty ? nil : $0 }
            let secret = settings["aws_secret_access_key"].flatMap { $0.isEmpty ? nil : $0 }
            switch (keyID, secret) {
            case (let keyID?, let secret?):
                let token = settings["aws_session_token"] ?? settings["aws_security_token"]
                return .loaded(
                    AWSCredentials(
                        accessKeyID: keyID, secretAccessKey: secret,
                        sessionToken: token.flatMap { $0.isEmpty ? nil : $0 }))
            case (nil, nil):
                continue
            default:
                throw AWSCredentialError(
                    "profile '\(profile)' in \(file) needs both aws_access_key_id and aws_secret_access_key")
            }
        }
        for (file, settings) in found {
            if let key = unsupportedProfileKeys.first(where: { settings[$0] != nil }) {
                throw AWSCredentialError(
                    "profile '\(profile)' in \(file) gets credentials through \(key), which is not supported; "
                        + "give it static keys or use web identity, container or instance credentials")
            }
        }
        let reason =
            found.isEmpty
            ? "profile '\(profile)' is not in \(credentialsPath) or \(configPath)"
            : "profile '\(profile)' has no aws_access_key_id"
        // A profile someone asked for by name must exist; the implicit default may not.
        if chosen != nil { throw AWSCredentialError(reason) }
        return .notConfigured(reason)
    }
}
