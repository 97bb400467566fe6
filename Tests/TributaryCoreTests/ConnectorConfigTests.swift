import Testing
@testable import TributaryCore

@Suite("Connector files")
struct ConnectorConfigTests {
    let substitution = Substitution(
        environment: { ["OS_PASSWORD": "s3cret", "BROKERS": "k1:9092,k2:9092"][$0] },
        readFile: { path in
            switch path {
            case "/secrets/os-password": return "from-file\n"
            case "/secrets/app.properties": return "# comment\nuser = alice\npassword=pw-from-props\n"
            default: throw ConfigError(key: nil, "no such file")
            }
        })

    func parse(_ text: String) throws(ConfigError) -> ConnectorConfig {
        try ConnectorConfig.parse(Array(text.utf8), substitution: substitution)
    }

    @Test("a full file with Kafka Connect names, strings for numbers and substitutions")
    func fullFile() throws {
        let config = try parse(
            #"""
            {"name": "inventory", "config": {
              "connector.class": "io.aiven.kafka.connect.opensearch.OpensearchSinkConnector",
              "tasks.max": "1",
              "topics": "dbserver1.inventory.customers, dbserver1.inventory.orders",
              "kafka.bootstrap.servers": "${env:BROKERS}",
              "kafka.security.protocol": "SASL_SSL",
              "kafka.sasl.password": "${file:/secrets/app.properties:password}",
              "connection.url": "https://os1:9200,https://os2:9200",
              "connection.username": "admin",
              "connection.password": "${env:OS_PASSWORD}",
              "batch.size": "500", "linger.ms": 20, "max.in.flight.requests": 2,
              "behavior.on.null.values": "IGNORE",
              "errors.tolerance": "all",
              "errors.deadletterqueue.topic.name": "inventory-dlq"
            }}
            """#)
        #expect(config.name == "inventory")
        #expect(config.subscription == .topics(["dbserver1.inventory.customers", "dbserver1.inventory.orders"]))
        #expect(config.kafka["bootstrap.servers"] == "k1:9092,k2:9092")
        #expect(config.kafka["sasl.password"] == "pw-from-props")
        #expect(config.kafka["group.id"] == "tributary-inventory")
        #expect(config.kafka["enable.auto.commit"] == "false")
        #expect(config.kafka["auto.offset.reset"] == "earliest")
        #expect(config.openSearch.urls == ["https://os1:9200", "https://os2:9200"])
        #expect(config.openSearch.password == "s3cret")
        #expect(config.batching.maxRecords == 500 && config.batching.lingerMs == 20 && config.batching.maxInFlight == 2)
        #expect(config.deadLetterTopic == "inventory-dlq")
        #expect(config.poisonPolicy == .skipWithWarning)
        let shown = config.redacted.map { "\($0.key)=\($0.value)" }.joined(separator: "\n")
        #expect(!shown.contains("s3cret") && !shown.contains("pw-from-props"))
        #expect(shown.contains("connection.password=********"))
    }

    @Test("defaults")
    func defaults() throws {
        let config = try parse(#"{"name":"c","config":{"topics":"a","kafka.bootstrap.servers":"k:9092","connection.url":"http://os:9200"}}"#)
        #expect(config.batching.maxRecords == 1000)
        #expect(config.retry.maxRetries == 5)
        #expect(config.routing.versionSource == .auto)
        #expect(config.routing.nullValues == .ignore)
        #expect(config.poisonPolicy == .stop)
        #expect(config.deadLetterTopic == nil)
        #expect(config.kafka["group.id"] == "tributary-c")
        // Memory bounds: the prefetch, the Fetch responses, the records held.
        #expect(config.kafka["queued.max.messages.kbytes"] == "16384")
        #expect(config.kafka["fetch.max.bytes"] == "4194304")
        #expect(config.batching.maxBufferedRecords == 6000)
    }

    @Test("the Fetch response bound follows a larger message.max.bytes and yields to an explicit one")
    func fetchMaxBytes() throws {
        func kafka(_ extra: String) throws -> [String: String] {
            try parse(#"{"name":"c","config":{"topics":"a","kafka.bootstrap.servers":"k:9092","connection.url":"http://os:9200","#
                + extra + "}}").kafka
        }
        // librdkafka rejects fetch.max.bytes below message.max.bytes.
        #expect(try kafka(#""kafka.message.max.bytes": "10000000""#)["fetch.max.bytes"] == "10000000")
        #expect(try kafka(#""kafka.message.max.bytes": "1000""#)["fetch.max.bytes"] == "4194304")
        #expect(try kafka(#""kafka.fetch.max.bytes": "52428800""#)["fetch.max.bytes"] == "52428800")
        #expect(try kafka(#""kafka.queued.max.messages.kbytes": "65536""#)["queued.max.messages.kbytes"] == "65536")
    }

    @Test(
        "mistakes fail at start naming the key",
        arguments: [
            (#""batch.size": "lots""#, "batch.size"),
            (#""batch.size": 0"#, "batch.size"),
            (#""linger.ms": true"#, "linger.ms"),
            (#""behavior.on.null.values": "drop""#, "behavior.on.null.values"),
            (#""conection.url": "http://typo:9200""#, "conection.url"),
            (#""kafka.enable.auto.commit": "true""#, "kafka.enable.auto.commit"),
            (#""version.source": "binlog2""#, "version.source"),
            (#""index.name": "${source.tabel}""#, "index.name"),
            (#""connection.password": "${env:NOPE}""#, "connection.password"),
            (#""topics.regex": "dbserver1\\..*""#, "topics.regex"),
            (#""value.converter": "io.confluent.connect.avro.AvroConverter""#, "value.converter"),
        ])
    func mistakes(fragment: String, key: String) {
        let text = #"{"name":"c","config":{"topics":"a","kafka.bootstrap.servers":"k:9092","connection.url":"http://os:9200","#
            + fragment + "}}"
        let error = #expect(throws: ConfigError.self) { try parse(text) }
        #expect(error?.key == key, "\(String(describing: error))")
        #expect(error?.description.contains("'\(key)'") == true)
    }

    @Test("required keys and malformed files")
    func required() {
        #expect((#expect(throws: ConfigError.self) { try parse(#"{"name":"c","config":{"topics":"a","connection.url":"http://x:1"}}"#) })?.key == "kafka.bootstrap.servers")
        #expect((#expect(throws: ConfigError.self) { try parse(#"{"name":"c","config":{"topics":"a","kafka.bootstrap.servers":"k:1"}}"#) })?.key == "connection.url")
        #expect((#expect(throws: ConfigError.self) { try parse(#"{"name":"c","config":{"kafka.bootstrap.servers":"k:1","connection.url":"http://x:1"}}"#) })?.key == "topics")
        #expect((#expect(throws: ConfigError.self) { try parse(#"{"name":"c","config":{"#) })?.key == nil)
        for url in ["ftp://x", "http://exa mple:9200", "http://admin:pw@host:9200", "http://host:99999", "https://"] {
            let error = #expect(throws: ConfigError.self) {
                try parse(#"{"name":"c","config":{"topics":"a","kafka.bootstrap.servers":"k:1","connection.url":"\#(url)"}}"#)
            }
            #expect(error?.key == "connection.url", "\(url)")
            #expect(error?.description.contains("pw") == false)
        }
    }

    @Test("${file:PATH} strips the trailing newline; $${…} is a literal")
    func substitutionForms() throws {
        #expect(try substitution.resolve("${file:/secrets/os-password}", key: "k") == "from-file")
        #expect(try substitution.resolve("a$${env:X}b", key: "k") == "a${env:X}b")
        #expect(throws: ConfigError.self) { try substitution.resolve("${vault:x}", key: "k") }
    }
}

@Suite("AWS SigV4 connection settings")
struct AWSConnectionConfigTests {
    let substitution = Substitution(environment: { _ in nil }, readFile: { _ in "" })
    let base = #""topics":"a","kafka.bootstrap.servers":"k:1","connection.url":"https://search-x.eu-west-1.es.amazonaws.com""#

    func parse(_ extra: String) throws(ConfigError) -> ConnectorConfig {
        try ConnectorConfig.parse(Array(#"{"name":"c","config":{\#(base),\#(extra)}}"#.utf8), substitution: substitution)
    }

    @Test("aws_sigv4 with the default chain, and static keys masked by validate")
    func parsesSigV4() throws {
        let chain = try parse(#""connection.auth.type":"aws_sigv4","connection.aws.region":"eu-west-1","connection.aws.service":"aoss""#)
        #expect(chain.openSearch.aws == AWSSigningSettings(
            region: "eu-west-1", service: "aoss", provider: .default, profile: nil, accessKeyID: nil, secretAccessKey: nil, sessionToken: nil))
        let fixed = try parse(
            #""connection.auth.type":"aws_sigv4","connection.aws.region":"us-east-1","connection.aws.provider":"static","connection.aws.access.key.id":"AKID","connection.aws.secret.access.key":"SECRETKEY""#)
        #expect(fixed.openSearch.aws?.provider == .static)
        #expect(!fixed.redacted.contains { $0.value == "SECRETKEY" })
    }

    @Test("SigV4 mistakes name the key")
    func mistakes() {
        let cases: [(String, String)] = [
            (#""connection.auth.type":"aws_sigv4""#, "connection.aws.region"),
            (#""connection.auth.type":"aws_sigv4","connection.aws.region":"EU West""#, "connection.aws.region"),
            (#""connection.auth.type":"aws_sigv4","connection.aws.region":"eu-west-1","connection.aws.service":"s3""#, "connection.aws.service"),
            (#""connection.auth.type":"aws_sigv4","connection.aws.region":"eu-west-1","connection.username":"u","connection.password":"p""#, "connection.auth.type"),
            (#""connection.aws.region":"eu-west-1""#, "connection.aws.region"),
            (#""connection.auth.type":"aws_sigv4","connection.aws.region":"eu-west-1","connection.aws.provider":"static""#, "connection.aws.access.key.id"),
            (#""connection.auth.type":"kerberos""#, "connection.auth.type"),
        ]
        for (extra, key) in cases {
            let error = #expect(throws: ConfigError.self) { try parse(extra) }
            #expect(error?.key == key, "\(extra) → \(String(describing: error))")
        }
    }
}

@Suite("Per-topic overrides")
struct TopicOverrideTests {
    let substitution = Substitution(environment: { ["IDX": "orders-v2"][$0] }, readFile: { _ in "" })

    func parse(_ overrides: String) throws(ConfigError) -> ConnectorConfig {
        let text = #"{"name":"c","config":{"topics":"db.public.orders,db.public.items","kafka.bootstrap.servers":"k:1","connection.url":"http://os:9200","fields.exclude":"secret"},"overrides":"#
            + overrides + "}"
        return try ConnectorConfig.parse(Array(text.utf8), substitution: substitution)
    }

    @Test("a topic's document settings override the connector's; other topics keep them")
    func overrides() throws {
        let config = try parse(#"{"db.public.orders":{"index.name":"${env:IDX}","delete.mode":"soft"}}"#)
        let orders = try #require(config.routingOverrides["db.public.orders"])
        #expect(orders.deleteMode == .soft)
        #expect(config.routing.deleteMode == .hard)
        #expect(config.routingOverrides["db.public.items"] == nil)
        let router = orders.router
        let value = Array(#"{"op":"c","after":{"id":1,"secret":"x","n":2},"source":{"lsn":5,"table":"orders","connector":"postgresql"}}"#.utf8)
        guard case .write(let item) = try router.route(topic: "db.public.orders", offset: 0, key: Array(#"{"id":1}"#.utf8), value: value) else {
            Issue.record("expected a write"); return
        }
        #expect(item.index == "orders-v2")
        #expect(!String(decoding: item.bytes, as: UTF8.self).contains("secret"), "the connector's fields.exclude still applies")
    }

    @Test("override mistakes name the topic and key")
    func mistakes() {
        let bad = #expect(throws: ConfigError.self) { try parse(#"{"db.public.orders":{"delete.mode":"sometimes"}}"#) }
        #expect(bad?.key == "overrides.db.public.orders.delete.mode")
        let notPerTopic = #expect(throws: ConfigError.self) { try parse(#"{"db.public.orders":{"batch.size":"5"}}"#) }
        #expect(notPerTopic?.key == "overrides.db.public.orders.batch.size")
        let shape = #expect(throws: ConfigError.self) { try parse(#"{"db.public.orders":"soft"}"#) }
        #expect(shape?.key == "overrides.db.public.orders")
    }
}
