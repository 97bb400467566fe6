/// The validated configuration of one connector.
///
/// Built once at start by `ConnectorConfig.parse` from a connector file in the
/// Kafka Connect REST shape `{"name": …, "config": {…}}`; every key, its type
/// and default is listed in `ConfigKeys` and in the README.
public struct ConnectorConfig: Sendable {
    /// How topics are chosen.
    public enum Subscription: Sendable, Hashable {
        /// `topics`: an explicit list.
        case topics([String])
        /// `topics.regex`: every topic matching the pattern (librdkafka regex).
        case pattern(String)
    }

    /// What to do with a record that can never be written when no
    /// dead-letter topic is configured.
    public enum PoisonPolicy: Sendable, Hashable {
        /// Stop the connector with an error (the default): nothing is skipped.
        case stop
        /// Skip the record, logging a warning and counting it.
        case skipWithWarning
        /// Skip the record, counting it (logged at debug level).
        case skipSilently
    }

    public var name: String
    public var subscription: Subscription
    /// librdkafka properties for the consumer (`kafka.X` → `X`), with the
    /// sink's own settings applied (`group.id`, `enable.auto.commit=false`, …).
    public var kafka: [String: String]
    public var openSearch: OpenSearchSettings
    public var batching: BatchSettings
    public var retry: RetrySettings
    public var routing: RoutingSettings
    /// Per-topic document settings from the file's `overrides` object.
    public var routingOverrides: [String: RoutingSettings] = [:]
    /// `errors.deadletterqueue.topic.name`.
    public var deadLetterTopic: String?
    public var poisonPolicy: PoisonPolicy
    /// `offset.flush.interval.ms`: how often confirmed offsets are committed.
    public var commitIntervalMs: Int
    /// `log.summary.interval.ms`: how often the progress line is logged (0 = never).
    public var summaryIntervalMs: Int
    /// `shutdown.timeout.ms`: how long a graceful stop waits for in-flight writes.
    public var shutdownTimeoutMs: Int
    /// Keys whose values are secrets: never logged, masked by `validate`.
    public var secretKeys: Set<String>
    /// The effective settings as given (after substitution), for `validate`.
    public var effective: [(key: String, value: String)]

    /// The effective settings with secret values masked.
    public var redacted: [(key: String, value: String)] {
        effective.map { secretKeys.contains($0.key) ? ($0.key, "********") : $0 }
    }
}

/// The OpenSearch connection (`connection.*`).
public struct OpenSearchSettings: Sendable, Hashable {
    public var urls: [String]
    public var username: String?
    public var password: String?
    public var caFile: String?
    public var certificateFile: String?
    public var keyFile: String?
    public var verifyCertificates: Bool
    public var connectTimeoutMs: Int
    public var requestTimeoutMs: Int
    /// `connection.auth.type=aws_sigv4`: sign requests for Amazon OpenSearch
    /// Service or Serverless instead of basic auth.
    public var aws: AWSSigningSettings?
}

/// AWS SigV4 signing (`connection.aws.*`).
public struct AWSSigningSettings: Sendable, Hashable {
    /// Where credentials come from (`connection.aws.provider`).
    public enum Provider: String, Sendable, Hashable, CaseIterable {
        /// The SDK chain: environment, web identity, profile, container, instance metadata.
        case `default`
        case environment
        case webIdentity = "web_identity"
        case profile
        case container
        case instanceMetadata = "instance_metadata"
        /// `connection.aws.access.key.id` and `connection.aws.secret.access.key`.
        case `static`
    }

    public var region: String
    /// `es` (OpenSearch Service) or `aoss` (Serverless).
    public var service: String
    public var provider: Provider
    public var profile: String?
    public var accessKeyID: String?
    public var secretAccessKey: String?
    public var sessionToken: String?
}

/// Batch bounds and concurrency (`batch.*`, `linger.ms`, `max.*`).
public struct BatchSettings: Sendable, Hashable {
    /// `batch.size`: operations per bulk request.
    public var maxRecords: Int
    /// `batch.max.bytes`: bytes per bulk request.
    public var maxBytes: Int
    /// `linger.ms`: how long a partly filled batch waits for more records.
    public var lingerMs: Int
    /// `max.in.flight.requests`: bulk requests sent concurrently.
    public var maxInFlight: Int
    /// `max.buffered.records`: records held between consume and confirm; at
    /// this bound the consumer pauses its partitions.
    public var maxBufferedRecords: Int
}

/// Retry bounds (`max.retries`, `retry.backoff.ms`, `retry.backoff.max.ms`).
public struct RetrySettings: Sendable, Hashable {
    /// Retries of a record that failed with a possibly passing error (500, a
    /// missing index) before it is dead-lettered. Throttling and outages are
    /// retried without limit.
    public var maxRetries: Int
    public var backoff: Backoff
}

/// How records become bulk operations.
public struct RoutingSettings: Sendable, Hashable {
    public var indexName: IndexNameTemplate
    public var versionSource: VersionSource
    public var nullValues: NullValueBehavior
    /// `pipeline`: an ingest pipeline for index operations.
    public var pipeline: String?
    /// `topic.index.map`: topic → index, ahead of `index.name`.
    public var topicIndexMap: [String: String] = [:]
    /// `fields.*`, `drop.null.fields`, `metadata.*`, `routing.field`,
    /// `key.delimiter`, `decimal.format`, `field.types`, `flattened.keep.metadata`.
    public var mapping: DocumentMapping = DocumentMapping()
    /// `delete.mode`.
    public var deleteMode: DeleteMode = .hard
    /// `truncate.mode`.
    public var truncateMode: TruncateMode = .ignore
    /// `toast.mode`.
    public var toastMode: ToastMode = .script
    /// `value.format`.
    public var valueFormat: EnvelopeDecoder.ValueFormat = .auto
    /// `index.mappings`, `decimal.mapping`: mappings for indexes the worker creates.
    public var indexMappings = IndexMappingOptions()

    /// The router these settings describe (each call compiles its own plan cache).
    public var router: DocumentRouter {
        DocumentRouter(
            indexName: indexName, versionSource: versionSource, nullValues: nullValues, pipeline: pipeline,
            decoder: EnvelopeDecoder(format: valueFormat), topicIndexMap: topicIndexMap, mapping: mapping,
            deleteMode: deleteMode, truncateMode: truncateMode, toastMode: toastMode)
    }
}
