extension AWSCredentialSource {
    /// `AWS_ACCESS_KEY_ID` + `AWS_SECRET_ACCESS_KEY` [+ `AWS_SESSION_TOKEN`];
    /// the older `AWS_ACCESS_KEY`, `AWS_SECRET_KEY`, `AWS_SECURITY_TOKEN` too.
    static func loadEnvironment(_ context: CredentialContext) throws(AWSCredentialError) -> CredentialLoad {
        let keyID = context.value("AWS_ACCESS_KEY_ID") ?? context.value("AWS_ACCESS_KEY")
        let secret = context.value("AWS_SECRET_ACCESS_KEY") ?? context.value("AWS_SECRET_KEY")
        switch (keyID, secret) {
        case (nil, nil):
            return .notConfigured("AWS_ACCESS_KEY_ID is not set")
        case (let keyID?, let secret?):
            let token = context.value("AWS_SESSION_TOKEN") ?? context.value("AWS_SECURITY_TOKEN")
            return .loaded(AWSCredentials(accessKeyID: keyID, secretAccessKey: secret, sessionToken: token))
        case (nil, _):
            throw AWSCredentialError("AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not")
        case (_, nil):
            throw AWSCredentialError("AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not")
        }
    }
}
