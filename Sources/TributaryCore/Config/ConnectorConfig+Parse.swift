extension ConnectorConfig {
    /// Kafka Connect framework keys that are accepted and have no effect here
    /// (a connector file copied from Kafka Connect keeps working).
    static let ignoredConnectKeys: Set<String> = [
        "connector.class", "tasks.max", "type.name", "key.ignore", "schema.ignore",
        "key.converter.schemas.enable", "value.converter.schemas.enable",
        "errors.deadletterqueue.context.headers.enable", "errors.deadletterqueue.topic.replication.factor",
        "errors.log.enable", "errors.log.include.messages",
    ]

    /// Converters the sink can read: Debezium JSON, with or without schemas.
    static let supportedConverters: Set<String> = [
        "org.apache.kafka.connect.json.JsonConverter",
        "org.apache.kafka.connect.storage.StringConverter",
        "io.debezium.converters.CloudEventsConverter",
    ]

    /// Parses and validates a connector file (`{"name": …, "config": {…}}`).
    ///
    /// Unknown keys, wrong types and impossible values throw a `ConfigError`
    /// naming the key. `${env:…}`/`${file:…}` references are resolved here.
    public static func parse(_ bytes: [UInt8], substitution: Substitution, fallbackName: String? = nil) throws(ConfigError) -> ConnectorConfig {
        let json: JSONValue
        do {
            json = try JSONParser.parse(bytes)
        } catch {
            throw ConfigError(key: nil, "the file is not valid JSON: \(error)", connector: fallbackName)
        }
        guard let root = json.objectValue else {
            throw ConfigError(key: nil, "expected a JSON object {\"name\": …, \"config\": {…}}", connector: fallbackName)
        }
        for key in root.keys where key != "name" && key != "config" && key != "overrides" {
            throw ConfigError(
                key: key, "unknown top-level key; a connector file has 'name', 'config' and optionally 'overrides'",
                connector: fallbackName)
        }
        guard let configObject = root["config"]?.objectValue else {
            throw ConfigError(key: "config", "is required and must be an object of settings", connector: fallbackName)
        }
        let raw = try settings(configObject, substitution: substitution, path: "", connector: fallbackName)
        let name = root["name"]?.stringValue ?? raw["name"] ?? fallbackName
        guard let name, !name.isEmpty else {
            throw ConfigError(key: "name", "is required: name the connector (it also names the consumer group)")
        }
        do {
            var config = try build(name: name, values: ConfigValues(values: raw))
            if let overrides = root["overrides"] {
                config.routingOverrides = try routingOverrides(overrides, base: raw, substitution: substitution)
            }
            return config
        } catch {
            var error = error
            error.connector = name
            throw error
        }
    }

    /// A settings object as strings (Kafka Connect style), references resolved.
    private static func settings(
        _ object: JSONObject, substitution: Substitution, path: String, connector: String?
    ) throws(ConfigError) -> [String: String] {
        var raw: [String: String] = [:]
        for (key, value) in object {
            let shown = path + key
            switch value {
            case .string(let text): raw[key] = try substitution.resolve(text, key: shown)
            case .number(let number): raw[key] = number.text
            case .bool(let flag): raw[key] = flag ? "true" : "false"
            case .null: continue
            case .array(let items):
                var parts: [String] = []
                for item in items {
                    guard let text = item.stringValue else {
                        throw ConfigError(key: shown, "expected a string or a list of strings", connector: connector)
                    }
                    parts.append(try substitution.resolve(text, key: shown))
                }
                raw[key] = parts.joined(separator: ",")
            case .object:
                throw ConfigError(key: shown, "expected a string, number or boolean, got an object", connector: connector)
            }
        }
        return raw
    }

    /// Per-topic document settings: `"overrides": {"<topic>": {"fields.exclude": …}}`.
    ///
    /// Each topic's settings are the connector's with the override keys on
    /// top; only keys that shape documents may be overridden (index name,
    /// fields, metadata, routing, pipeline, versions, delete/truncate/TOAST
    /// modes, formats), and each one is validated like its connector-level twin.
    private static func routingOverrides(
        _ value: JSONValue, base: [String: String], substitution: Substitution
    ) throws(ConfigError) -> [String: RoutingSettings] {
        guard let topics = value.objectValue else {
            throw ConfigError(key: "overrides", "must be an object of topic names to settings objects")
        }
        var result: [String: RoutingSettings] = [:]
        for (topic, settingsValue) in topics {
            guard let object = settingsValue.objectValue else {
                throw ConfigError(key: "overrides.\(topic)", "must be an object of settings")
            }
            let own = try settings(object, substitution: substitution, path: "overrides.\(topic).", connector: nil)
            var merged = base
            for (key, value) in own { merged[key] = value }
            var values = ConfigValues(values: merged)
            do {
                result[topic] = try routingSettings(&values)
            } catch {
                var error = error
                if let key = error.key, own[key] != nil { error.key = "overrides.\(topic).\(key)" }
                throw error
            }
            for key in own.keys.sorted() where !values.read.contains(key) {
                throw ConfigError(
                    key: "overrides.\(topic).\(key)",
                    "cannot be set per topic (only document settings such as index.name, fields.*, metadata.*, delete.mode can)")
            }
        }
        return result
    }

    private static func build(name: String, values: ConfigValues) throws(ConfigError) -> ConnectorConfig {
        var values = values
        values.markRead("name")
        for key in ignoredConnectKeys { values.markRead(key) }
        for key in ["key.converter", "value.converter"] {
            if let converter = values.string(key), !supportedConverters.contains(converter) {
                throw ConfigError(key: key, "'\(converter)' is not supported; Tributary reads Debezium JSON (JsonConverter)")
            }
        }

        let subscription: Subscription
        switch (values.list("topics"), values.string("topics.regex")) {
        case (let topics?, nil):
            subscription = .topics(topics)
        case (nil, let pattern?):
            subscription = .pattern(pattern.hasPrefix("^") ? pattern : "^" + pattern)
        case (_?, _?):
            throw ConfigError(key: "topics.regex", "set either 'topics' or 'topics.regex', not both")
        case (nil, nil):
            throw ConfigError(key: "topics", "is required (a comma-separated list), or set 'topics.regex'")
        }

        let kafka = try kafkaProperties(name: name, values: &values)

        guard let urls = values.list("connection.url") else {
            throw ConfigError(key: "connection.url", "is required: one or more OpenSearch URLs, comma-separated")
        }
        for url in urls {
            if let problem = Self.urlProblem(url) {
                throw ConfigError(key: "connection.url", "'\(Self.redactingUserInfo(url))' \(problem)")
            }
        }
        let aws = try awsSigning(&values)
        let openSearch = OpenSearchSettings(
            urls: urls,
            username: values.string("connection.username"),
            password: values.string("connection.password"),
            caFile: values.string("connection.ssl.ca.file"),
            certificateFile: values.string("connection.ssl.certificate.file"),
            keyFile: values.string("connection.ssl.key.file"),
            verifyCertificates: try values.bool("connection.ssl.verify", default: true),
            connectTimeoutMs: try values.int("connection.timeout.ms", default: 10_000, range: 100...600_000),
            requestTimeoutMs: try values.int("read.timeout.ms", default: 120_000, range: 100...3_600_000),
            aws: aws
        )
        if aws != nil, openSearch.username != nil || openSearch.password != nil {
            throw ConfigError(
                key: "connection.auth.type", "aws_sigv4 signs requests; remove connection.username and connection.password")
        }
        if openSearch.password != nil && openSearch.username == nil {
            throw ConfigError(key: "connection.username", "is required when connection.password is set")
        }

        let batching = BatchSettings(
            maxRecords: try values.int("batch.size", default: 1000, range: 1...100_000),
            maxBytes: try values.int("batch.max.bytes", default: 5 * 1024 * 1024, range: 1024...(512 * 1024 * 1024)),
            lingerMs: try values.int("linger.ms", default: 5, range: 0...60_000),
            maxInFlight: try values.int("max.in.flight.requests", default: 4, range: 1...64),
            maxBufferedRecords: try values.int("max.buffered.records", default: 6000, range: 1...10_000_000)
        )
        guard batching.maxBufferedRecords >= batching.maxRecords else {
            throw ConfigError(key: "max.buffered.records", "must be at least batch.size (\(batching.maxRecords))")
        }
        let retry = RetrySettings(
            maxRetries: try values.int("max.retries", default: 5, range: 0...1000),
            backoff: Backoff(
                baseMs: try values.int("retry.backoff.ms", default: 100, range: 1...600_000),
                maximumMs: try values.int("retry.backoff.max.ms", default: 30_000, range: 1...3_600_000)
            )
        )

        let routing = try routingSettings(&values)

        let tolerateAll = try values.choice("errors.tolerance", default: false, ["none": false, "all": true])
        let malformed = try values.choice(
            "behavior.on.malformed.documents", default: PoisonPolicy.stop,
            ["fail": .stop, "warn": .skipWithWarning, "ignore": .skipSilently])
        let poisonPolicy: PoisonPolicy = malformed == .stop && tolerateAll ? .skipWithWarning : malformed
        let deadLetterTopic = values.string("errors.deadletterqueue.topic.name")

        let commitIntervalMs = try values.int("offset.flush.interval.ms", default: 1000, range: 10...600_000)
        let summaryIntervalMs = try values.int("log.summary.interval.ms", default: 10_000, range: 0...86_400_000)
        let shutdownTimeoutMs = try values.int("shutdown.timeout.ms", default: 30_000, range: 0...600_000)

        let unknown = values.keys.filter { !values.read.contains($0) && !$0.hasPrefix("kafka.") }.sorted()
        if let first = unknown.first {
            throw ConfigError(key: first, "unknown key\(unknown.count > 1 ? " (also unknown: \(unknown.dropFirst().joined(separator: ", ")))" : "")")
        }

        let secretKeys = Set(values.keys.filter(isSecretKey))
        return ConnectorConfig(
            name: name,
            subscription: subscription,
            kafka: kafka,
            openSearch: openSearch,
            batching: batching,
            retry: retry,
            routing: routing,
            deadLetterTopic: deadLetterTopic,
            poisonPolicy: poisonPolicy,
            commitIntervalMs: commitIntervalMs,
            summaryIntervalMs: summaryIntervalMs,
            shutdownTimeoutMs: shutdownTimeoutMs,
            secretKeys: secretKeys,
            effective: values.values.sorted { $0.key < $1.key }.map { (key: $0.key, value: $0.value) }
        )
    }

    /// The consumer's librdkafka properties: `kafka.X` → `X`, plus the sink's
    /// required settings.
    private static func kafkaProperties(name: String, values: inout ConfigValues) throws(ConfigError) -> [String: String] {
        var kafka: [String: String] = [:]
        for key in values.keys where key.hasPrefix("kafka.") {
            let property = String(key.dropFirst("kafka.".count))
            guard !property.isEmpty else { throw ConfigError(key: key, "names no librdkafka property") }
            kafka[property] = values.string(key)
        }
        guard kafka["bootstrap.servers"] != nil else {
            throw ConfigError(key: "kafka.bootstrap.servers", "is required: the Kafka brokers, host:port comma-separated")
        }
        if let autoCommit = kafka["enable.auto.commit"], autoCommit != "false" {
            throw ConfigError(key: "kafka.enable.auto.commit", "must be false: the sink commits only confirmed offsets")
        }
        kafka["enable.auto.commit"] = "false"
        kafka["enable.auto.offset.store"] = "false"
        kafka["group.id"] = kafka["group.id"] ?? "tributary-\(name)"
        kafka["auto.offset.reset"] = kafka["auto.offset.reset"] ?? "earliest"
        kafka["client.id"] = kafka["client.id"] ?? "tributary-\(name)"
        // Memory: librdkafka prefetches up to `queued.max.messages.kbytes`, plus the
        // Fetch responses in flight (up to `fetch.max.bytes` per broker), on top of
        // what the pipeline holds. librdkafka 2.0 stops fetching once its queue is
        // over the bound and would wait up to a second to go on; the consumer
        // restarts the fetchers as soon as the queue is empty (TributaryKafka's
        // FetchStallWatch), so a small bound no longer starves the pipeline. A
        // million-event backlog peaked at 129-145 MB RSS with these values and
        // 318-394 MB with the earlier 128 MB prefetch, 50 MB responses and 10,000
        // buffered records (Benchmarks/README.md, "A million-event backlog").
        kafka["queued.max.messages.kbytes"] = kafka["queued.max.messages.kbytes"] ?? "16384"
        if kafka["fetch.max.bytes"] == nil {
            // librdkafka requires fetch.max.bytes >= message.max.bytes.
            let messageMax = kafka["message.max.bytes"].flatMap { Int($0) } ?? 0
            kafka["fetch.max.bytes"] = String(max(4 << 20, messageMax))
        }
        // Freshness: an idle partition's fetch returns within 50 ms of new data
        // instead of librdkafka's 500 ms default (costs only idle fetches).
        kafka["fetch.wait.max.ms"] = kafka["fetch.wait.max.ms"] ?? "50"
        return kafka
    }

    /// `connection.auth.type` and, for `aws_sigv4`, the `connection.aws.*` keys.
    private static func awsSigning(_ values: inout ConfigValues) throws(ConfigError) -> AWSSigningSettings? {
        let type = try values.choice(
            "connection.auth.type", default: "auto", ["auto": "auto", "none": "none", "basic": "basic", "aws_sigv4": "aws_sigv4"])
        let keys = [
            "connection.aws.region", "connection.aws.service", "connection.aws.provider", "connection.aws.profile",
            "connection.aws.access.key.id", "connection.aws.secret.access.key", "connection.aws.session.token",
        ]
        guard type == "aws_sigv4" else {
            for key in keys where values.string(key) != nil {
                throw ConfigError(key: key, "applies only with connection.auth.type=aws_sigv4")
            }
            return nil
        }
        let region = try values.requiredString("connection.aws.region", "the AWS region of the domain, e.g. eu-west-1")
        guard !region.isEmpty, region.allSatisfy({ $0.isLowercase || $0.isNumber || $0 == "-" }), region.allSatisfy(\.isASCII) else {
            throw ConfigError(key: "connection.aws.region", "'\(region)' is not an AWS region name")
        }
        let service = try values.choice("connection.aws.service", default: "es", ["es": "es", "aoss": "aoss"])
        let provider = try values.choice(
            "connection.aws.provider", default: AWSSigningSettings.Provider.default,
            Dictionary(uniqueKeysWithValues: AWSSigningSettings.Provider.allCases.map { ($0.rawValue, $0) }))
        let settings = AWSSigningSettings(
            region: region, service: service, provider: provider, profile: values.string("connection.aws.profile"),
            accessKeyID: values.string("connection.aws.access.key.id"),
            secretAccessKey: values.string("connection.aws.secret.access.key"),
            sessionToken: values.string("connection.aws.session.token"))
        if provider == .static, settings.accessKeyID == nil || settings.secretAccessKey == nil {
            throw ConfigError(
                key: "connection.aws.access.key.id",
                "connection.aws.provider=static needs connection.aws.access.key.id and connection.aws.secret.access.key")
        }
        if provider != .static, settings.accessKeyID != nil || settings.secretAccessKey != nil {
            throw ConfigError(key: "connection.aws.provider", "set it to static to use connection.aws.access.key.id")
        }
        return settings
    }

    /// Why `url` is not a usable OpenSearch node URL, or `nil`.
    static func urlProblem(_ url: String) -> String? {
        guard url.hasPrefix("http://") || url.hasPrefix("https://") else { return "must start with http:// or https://" }
        let rest = url.drop(while: { $0 != ":" }).dropFirst(3)
        let authority = rest.prefix(while: { $0 != "/" })
        if authority.isEmpty { return "has no host" }
        if url.contains(where: { $0 == " " || $0 == "\t" || $0 == "\n" }) { return "contains white space" }
        if authority.contains("@") { return "must not hold credentials; use connection.username and connection.password" }
        if let colon = authority.lastIndex(of: ":"), !authority.hasSuffix("]") {
            guard let port = Int(authority[authority.index(after: colon)...]), (1...65535).contains(port) else {
                return "has an invalid port"
            }
        }
        return nil
    }

    /// `url` with any `user:password@` part masked, for messages.
    static func redactingUserInfo(_ url: String) -> String {
        guard let at = url.firstIndex(of: "@"), let scheme = url.firstRange(of: "://"), scheme.upperBound <= at else { return url }
        return String(url[..<scheme.upperBound]) + "***" + String(url[at...])
    }

    /// Whether `key` holds a secret (a password, secret, token or private key).
    public static func isSecretKey(_ key: String) -> Bool {
        let lowered = key.lowercased()
        return ["password", "secret", "token", "credentials", "sasl.jaas.config", "private"].contains { lowered.contains($0) }
    }
}
