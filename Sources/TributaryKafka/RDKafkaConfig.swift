internal import CRdKafka

/// Owns an `rd_kafka_conf_t` until `makeHandle` hands it to `rd_kafka_new`
/// (which takes ownership only on success); frees it in `deinit` otherwise.
final class RDKafkaConfig {
    private var pointer: OpaquePointer?

    /// Applies `properties` (librdkafka names) in key order; fails naming the key.
    init(_ properties: [String: String]) throws(KafkaError) {
        pointer = rd_kafka_conf_new()
        for (key, value) in properties.sorted(by: { $0.key < $1.key }) {
            try set(key, value)
        }
    }

    deinit {
        if let pointer { rd_kafka_conf_destroy(pointer) }
    }

    func set(_ key: String, _ value: String) throws(KafkaError) {
        guard let pointer else { preconditionFailure("configuration already handed to rd_kafka_new") }
        var errstr = [CChar](repeating: 0, count: 512)
        let result = rd_kafka_conf_set(pointer, key, value, &errstr, errstr.count)
        guard result == RD_KAFKA_CONF_OK else {
            throw KafkaError.configuration(key: key, message: Self.string(errstr))
        }
    }

    /// The property's value as librdkafka holds it (its default when unset);
    /// nil for an unknown property or once handed to `rd_kafka_new`.
    func get(_ key: String) -> String? {
        guard let pointer else { return nil }
        var size = 0
        guard rd_kafka_conf_get(pointer, key, nil, &size) == RD_KAFKA_CONF_OK, size > 0 else { return nil }
        var value = [CChar](repeating: 0, count: size)
        guard rd_kafka_conf_get(pointer, key, &value, &size) == RD_KAFKA_CONF_OK else { return nil }
        return Self.string(value)
    }

    /// Installs the context as opaque plus the shared `log_cb` and `error_cb`.
    /// The caller must keep `context` alive until the instance is destroyed.
    func install(context: ClientContext) {
        guard let pointer else { return }
        rd_kafka_conf_set_opaque(pointer, Unmanaged.passUnretained(context).toOpaque())
        rd_kafka_conf_set_log_cb(pointer, RDKafkaCallbacks.log)
        rd_kafka_conf_set_error_cb(pointer, RDKafkaCallbacks.error)
    }

    /// Lends the conf pointer for setting more callbacks.
    func withPointer(_ body: (OpaquePointer) -> Void) {
        guard let pointer else { return }
        body(pointer)
    }

    /// Creates the instance; the conf is consumed on success and kept (freed by deinit) on failure.
    func makeHandle(_ type: rd_kafka_type_t) throws(KafkaError) -> OpaquePointer {
        guard let conf = pointer else { preconditionFailure("configuration already handed to rd_kafka_new") }
        var errstr = [CChar](repeating: 0, count: 512)
        guard let handle = rd_kafka_new(type, conf, &errstr, errstr.count) else {
            throw KafkaError(RD_KAFKA_RESP_ERR__INVALID_ARG, message: Self.string(errstr))
        }
        pointer = nil
        return handle
    }

    private static func string(_ buffer: [CChar]) -> String {
        buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }
}
