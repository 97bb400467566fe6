/// What the group coordinator asked of this consumer, recorded by the
/// rebalance callback and handed to the worker by `KafkaConsumer.takeRebalanceEvents()`.
///
/// Each `.assign` must be answered with `completeAssign` and each `.revoke`
/// with `completeRevoke`: librdkafka holds the group in its rebalance until then
/// (bounded by the group's rebalance timeout). Under the cooperative protocol
/// an `.assign([])` is normal (nothing added) and must be answered too.
/// Under the eager protocol messages of revoked partitions may still arrive
/// from `poll` until `completeRevoke` is called.
public enum RebalanceEvent: Sendable {
    /// Eager protocol: the full new assignment. Cooperative: partitions added.
    case assign([TopicPartition])
    /// Eager protocol: the full old assignment. Cooperative: partitions removed.
    case revoke([TopicPartition])
    /// The rebalance failed; answer with `completeRevoke(currentAssignment)`.
    case error(KafkaError)
}

/// The rebalance protocol of the group's chosen assignor.
public enum RebalanceProtocol: Sendable {
    /// Stop-the-world: every rebalance revokes everything, then assigns everything.
    case eager
    /// Incremental (cooperative-sticky): only moved partitions are revoked/assigned.
    case cooperative
    /// Not (yet) in a group.
    case none
}
