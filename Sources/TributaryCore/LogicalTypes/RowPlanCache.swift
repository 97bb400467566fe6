import Synchronization

/// Compiled `RowPlan`s keyed by the row schema they came from.
///
/// The key is a fingerprint of the whole schema: its 64-bit structural hash
/// (every member, nested ones included) and its member count. A schema
/// change such as a new column is a different key and is compiled on first
/// sight. Only the hash is compared, not the schema itself: that halves the
/// per-record cost, and the chance of two live schemas colliding is about
/// 2^-64 per pair. Bounded: when `capacity` distinct schemas have been seen
/// the cache is emptied and refills with the schemas still in use.
/// Thread-safe; shared by copies of the router that owns it.
public final class RowPlanCache: Sendable {
    struct Fingerprint: Hashable {
        let hash: Int
        let count: Int

        init(_ schema: JSONObject) {
            var hasher = Hasher()
            hasher.combine(schema)
            hash = hasher.finalize()
            count = schema.count
        }

        func hash(into hasher: inout Hasher) { hasher.combine(hash) }
    }

    public let capacity: Int
    private let plans: Mutex<[Fingerprint: RowPlan]>
    /// The last schemas looked up, kept alive so its storage identity stays
    /// meaningful: schemas served by `SchemaCache` share storage, so the
    /// common case (the same schema as the last record) costs no hashing.
    private let recent: Mutex<[(schema: JSONObject, plan: RowPlan)]>

    /// The last envelope schema whose row plan was asked for
    /// (`plan(forField:of:)`), kept alive for the same reason as `recent`.
    private let lastEnvelope: Mutex<(envelope: JSONObject, field: String, plan: RowPlan?)?>

    public init(capacity: Int = 256) {
        self.capacity = max(1, capacity)
        self.plans = Mutex([:])
        self.recent = Mutex([])
        self.lastEnvelope = Mutex(nil)
    }

    /// The plan for the struct schema of `field` (`after`, `before`) in the
    /// envelope schema `envelope`, or `nil` when that field has no struct
    /// schema (no `fields`). Records of a topic share one cached envelope
    /// schema (`SchemaCache`), so the field is looked up once per schema,
    /// not per record.
    public func plan(forField field: String, of envelope: JSONObject) -> RowPlan? {
        if let last = lastEnvelope.withLock({ $0 }), last.field == field, last.envelope.sharesStorage(with: envelope) {
            return last.plan
        }
        var plan: RowPlan?
        if let rowSchema = LogicalSchema.fieldSchema(field, in: envelope), rowSchema["fields"] != nil {
            plan = self.plan(for: rowSchema)
        }
        lastEnvelope.withLock { $0 = (envelope, field, plan) }
        return plan
    }

    /// The plan for the struct schema `schema`, compiled on first use.
    public func plan(for schema: JSONObject) -> RowPlan {
        if let hit = recent.withLock({ $0.first(where: { $0.schema.sharesStorage(with: schema) })?.plan }) {
            return hit
        }
        let key = Fingerprint(schema)
        let plan: RowPlan
        if let cached = plans.withLock({ $0[key] }) {
            plan = cached
        } else {
            plan = LogicalSchema.plan(forStruct: schema)
            plans.withLock { plans in
                if plans.count >= capacity { plans.removeAll(keepingCapacity: true) }
                plans[key] = plan
            }
        }
        recent.withLock { recent in
            // A few slots: a record's key and value schemas alternate.
            if recent.count >= 4 { recent.removeLast() }
            recent.insert((schema, plan), at: 0)
        }
        return plan
    }

    /// The number of cached plans (for tests and metrics).
    public var count: Int { plans.withLock { $0.count } }
}
