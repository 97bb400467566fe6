/// Tells the consumer when librdkafka's fetchers are likely idle with data
/// left to fetch, so that it can restart them at once
/// (`KafkaConsumer.restartFetches()`).
///
/// librdkafka stops fetching a partition while its prefetch queue holds
/// `queued.max.messages.kbytes` of payload or `queued.min.messages`
/// messages, and decides again only when the partition's broker thread
/// wakes: on a response, on a request or op sent to it, or at the latest
/// after a second (2.0's fixed backoff; `fetch.queue.backoff.ms` from 2.1).
/// Once every partition stopped, nothing is in flight to wake a broker
/// thread, and a consumer that empties the queue in a tenth of a second
/// waits out the rest of the second. That made a small prefetch bound
/// (bounded memory) and a fast drain mutually exclusive.
///
/// The watch answers "restart now" once after the queue came within half of
/// either bound and the consumer has since emptied it. Half, because a
/// broker decides on the queue as it is when a response lands, which the
/// consumer does not see. What a poll took plus what it left is at least
/// what the queue held when the poll began; the payload of what it left is
/// estimated from the messages polled so far.
///
/// It also remembers, for each broker, the partitions last polled from it
/// (`recentPartitions`): waking one partition of a broker wakes the broker's
/// thread, which then decides for all of its partitions, so a restart needs
/// one partition per broker. A restarted partition's in-flight response, if
/// any, is dropped and fetched again, so restarting fewer costs less.
///
/// Value type, no I/O: the consumer's driver thread owns it.
struct FetchStallWatch: Sendable {
    /// `queued.max.messages.kbytes`, in bytes.
    let byteBound: Int
    /// `queued.min.messages`.
    let messageBound: Int
    /// The queue came within half of a bound since the last restart.
    private(set) var cameNearBound = false
    /// Mean payload bytes of the messages polled, weighted towards recent polls.
    private(set) var meanPayloadBytes: Double = 0
    /// Per broker id, the partitions last polled from it, newest first, at
    /// most `partitionsPerBroker`; broker -1 collects partitions whose broker
    /// librdkafka did not know.
    private(set) var recentPartitions: [(broker: Int32, partitions: [TopicPartition])] = []
    /// How many partitions `recentPartitions` keeps per broker: the newest
    /// may have been revoked, or have no known offset since an assignment
    /// change, and a restart takes the newest that is assigned and has one.
    static let partitionsPerBroker = 4
    /// Where restarts seeked each partition. librdkafka reports no position
    /// for a seeked partition until it delivers again, and until then this
    /// is its next offset. Forgotten when the assignment changes: a
    /// partition assigned again starts from its committed offset.
    private(set) var restartedAt: [TopicPartition: Int64] = [:]

    init(byteBound: Int, messageBound: Int) {
        self.byteBound = max(byteBound, 1)
        self.messageBound = max(messageBound, 1)
    }

    /// A poll took messages of `partition` that were fetched from `broker`.
    mutating func fetched(_ partition: TopicPartition, from broker: Int32) {
        guard let slot = recentPartitions.firstIndex(where: { $0.broker == broker }) else {
            recentPartitions.append((broker, [partition]))
            return
        }
        var partitions = recentPartitions[slot].partitions
        if partitions.first == partition { return }
        partitions.removeAll { $0 == partition }
        partitions.insert(partition, at: 0)
        if partitions.count > Self.partitionsPerBroker { partitions.removeLast() }
        recentPartitions[slot].partitions = partitions
    }

    /// The offset to restart `partition` at: its `position` (the offset after
    /// the last message polled), or, when it has delivered nothing since a
    /// restart seeked it, where that restart seeked it; nil if neither.
    func restartOffset(of partition: TopicPartition, position: Int64?) -> Int64? {
        position ?? restartedAt[partition]
    }

    /// A restart seeked `partition` to `offset`.
    mutating func restarted(_ partition: TopicPartition, at offset: Int64) {
        restartedAt[partition] = offset
    }

    /// Partitions were assigned or revoked.
    mutating func assignmentChanged() {
        restartedAt.removeAll()
    }

    /// After a poll that took `taken` messages carrying `payloadBytes` and
    /// left `left` in the queue. Returns `true` when the fetchers should be
    /// restarted now; it then forgets the bound until the queue comes near it
    /// again.
    mutating func pollEnded(taken: Int, payloadBytes: Int, left: Int) -> Bool {
        if taken > 0 {
            let mean = Double(payloadBytes) / Double(taken)
            // A new watch takes the first poll's mean as it is.
            meanPayloadBytes = meanPayloadBytes == 0 ? mean : meanPayloadBytes * 0.75 + mean * 0.25
        }
        let queuedBytes = Double(payloadBytes) + Double(left) * meanPayloadBytes
        if (taken + left) * 2 >= messageBound || queuedBytes * 2 >= Double(byteBound) {
            cameNearBound = true
        }
        guard cameNearBound, left == 0 else { return false }
        cameNearBound = false
        return true
    }
}
