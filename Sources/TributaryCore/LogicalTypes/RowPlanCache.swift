import Synchronization

/// Compiled `RowPlan`s keyed by the row schema they came from.
///
/// The key is the schema itself (hashed and compared structurally), so a
/// schema change such as a new column is a different key and is compiled on
/// first sight. Bounded: when `capacity` distinct schemas have been seen the
/// cache is emptied and refills with the schemas still in use.
/// Thread-safe; shared by copies of the router that owns it.
public final class RowPlanCache: Sendable {
    public let capacity: Int
    private let plans: Mutex<[JSONObject: RowPlan]>

    public init(capacity: Int = 256) {
        self.capacity = max(1, capacity)
        self.plans = Mutex([:])
    }

    /// The plan for the struct schema `schema`, compiled on first use.
    public func plan(for schema: JSONObject) -> RowPlan {
        if let plan = plans.withLock({ $0[schema] }) { return plan }
        let plan = LogicalSchema.plan(forStruct: schema)
        plans.withLock { plans in
            if plans.count >= capacity { plans.removeAll(keepingCapacity: true) }
            plans[schema] = plan
        }
        return plan
    }

    /// The number of cached plans (for tests and metrics).
    public var count: Int { plans.withLock { $0.count } }
}
