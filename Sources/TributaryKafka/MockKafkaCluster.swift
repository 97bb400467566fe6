internal import CRdKafka
public import Logging

/// librdkafka's built-in mock cluster: real Kafka protocol on loopback TCP
/// listeners, in this process, for tests and the dev tool.
///
/// Brokers are numbered 1...brokers. Topics are auto-created on first use
/// with 4 partitions unless created here first. Every method is thread-safe
/// (each posts an operation to the mock cluster's own thread).
///
/// Ownership: owns the mock cluster and the `rd_kafka_t` it lives on;
/// `deinit` destroys the cluster, then the instance.
public final class MockKafkaCluster: @unchecked Sendable {
    private let handle: RDKafkaHandle
    private let cluster: OpaquePointer
    /// Comma-separated `host:port` list for `bootstrap.servers`.
    public let bootstrapServers: String

    public init(brokers: Int = 3, logger: Logger) throws(KafkaError) {
        guard brokers > 0 else { throw KafkaError.invalidArgument("a mock cluster needs at least one broker") }
        let context = ClientContext(logger: logger)
        let config = try RDKafkaConfig(["client.id": "tributary-mock-cluster"])
        config.install(context: context)
        let handle = RDKafkaHandle(pointer: try config.makeHandle(RD_KAFKA_PRODUCER), context: context)
        guard let cluster = rd_kafka_mock_cluster_new(handle.pointer, Int32(clamping: brokers)) else {
            throw KafkaError(RD_KAFKA_RESP_ERR__FAIL, message: "rd_kafka_mock_cluster_new failed")
        }
        self.handle = handle
        self.cluster = cluster
        self.bootstrapServers = String(cString: rd_kafka_mock_cluster_bootstraps(cluster))
    }

    deinit {
        rd_kafka_mock_cluster_destroy(cluster)
    }

    /// Creates a topic (the mock has no CreateTopics admin API).
    public func createTopic(_ name: String, partitions: Int32, replicationFactor: Int32 = 1) throws(KafkaError) {
        try check(rd_kafka_mock_topic_create(cluster, name, partitions, replicationFactor))
    }

    /// Disconnects the broker and refuses new connections. Does not move leadership.
    public func setBrokerDown(_ brokerID: Int32) throws(KafkaError) {
        try check(rd_kafka_mock_broker_set_down(cluster, brokerID))
    }

    /// Accepts connections again.
    public func setBrokerUp(_ brokerID: Int32) throws(KafkaError) {
        try check(rd_kafka_mock_broker_set_up(cluster, brokerID))
    }

    /// Delays every response of the broker by `milliseconds`.
    public func setBrokerRoundTripTime(_ brokerID: Int32, milliseconds: Int32) throws(KafkaError) {
        try check(rd_kafka_mock_broker_set_rtt(cluster, brokerID, milliseconds))
    }

    /// The next `errors.count` requests with `apiKey` (cluster-wide) fail with
    /// these codes, in order (e.g. apiKey 8 = OffsetCommit, 0 = Produce,
    /// 1 = Fetch). Code -195 (`_TRANSPORT`) disconnects the client instead.
    public func pushRequestErrors(apiKey: Int16, errors: [Int32]) {
        let codes = errors.map { rd_kafka_resp_err_t(rawValue: $0) }
        codes.withUnsafeBufferPointer { buffer in
            rd_kafka_mock_push_request_errors_array(cluster, apiKey, buffer.count, buffer.baseAddress)
        }
    }

    /// Drops any pushed errors for `apiKey` not yet consumed.
    public func clearRequestErrors(apiKey: Int16) {
        rd_kafka_mock_clear_request_errors(cluster, apiKey)
    }

    /// Moves partition leadership (-1 makes the partition leaderless).
    public func setPartitionLeader(topic: String, partition: Int32, brokerID: Int32) throws(KafkaError) {
        try check(rd_kafka_mock_partition_set_leader(cluster, topic, partition, brokerID))
    }

    /// Pins the coordinator for `keyType` ("group" or "transaction") and `key`.
    public func setCoordinator(keyType: String, key: String, brokerID: Int32) throws(KafkaError) {
        try check(rd_kafka_mock_coordinator_set(cluster, keyType, key, brokerID))
    }

    private func check(_ err: rd_kafka_resp_err_t) throws(KafkaError) {
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError(err) }
    }
}
