/// Checks librdkafka properties without creating a client.
public enum KafkaConfiguration {
    /// A property librdkafka refuses, with its reason.
    public struct Problem: Error, Sendable {
        /// The librdkafka property name (`security.protocol`).
        public var property: String
        /// librdkafka's explanation.
        public var message: String
    }

    /// Applies every property to a fresh `rd_kafka_conf_t` (then frees it);
    /// throws the first property librdkafka rejects: an unknown name or an
    /// invalid value. Connects to nothing.
    public static func validate(_ properties: [String: String]) throws(Problem) {
        for (key, value) in properties.sorted(by: { $0.key < $1.key }) {
            do {
                _ = try RDKafkaConfig([key: value])
            } catch {
                throw Problem(property: key, message: error.message)
            }
        }
    }
}
