import Testing

@testable import TributaryCore

@Suite("RowPlan finds a column's entry")
struct RowPlanTests {
    /// The lookup `entryIndex` replaced: the planned position when the names
    /// agree, else the first entry of that name.
    static func expected(_ plan: RowPlan, _ name: String, at position: Int) -> Int? {
        if let planned = plan.entries.firstIndex(where: { $0.position == position }), plan.entries[planned].name == name {
            return planned
        }
        return plan.entries.firstIndex { $0.name == name }
    }

    static func index(_ plan: RowPlan, _ name: String, at position: Int) -> Int? {
        Array(name.utf8).withUnsafeBytes { plan.entryIndex(named: $0, at: position) }
    }

    @Test("every name at every position agrees with the linear lookup")
    func agreesWithLinearLookup() {
        let long = String(repeating: "c", count: 70)
        let plans = [
            RowPlan(),
            // Schema positions, as LogicalSchema plans them.
            RowPlan(entries: [
                .init(name: "price", position: 3, converter: .json),
                .init(name: "updated_at", position: 7, converter: .json),
                .init(name: "attributes", position: 8, converter: .json),
                .init(name: long, position: 9, converter: .json),
            ]),
            // Hints (no position), a duplicate name, names of equal length.
            RowPlan(entries: [
                .init(name: "a", position: -1, converter: .json),
                .init(name: "b", position: -1, converter: .json),
                .init(name: "a", position: 2, converter: .json),
                .init(name: "ab", position: 0, converter: .json),
            ]),
        ]
        let names = ["id", "price", "updated_at", "attributes", "attributez", long, long + "x", String(repeating: "c", count: 64),
                     "a", "b", "ab", "ba", "", "weight"]
        for plan in plans {
            for name in names {
                for position in -1..<12 {
                    #expect(Self.index(plan, name, at: position) == Self.expected(plan, name, at: position),
                            "\(name) at \(position) in \(plan.entries.map(\.name))")
                }
            }
        }
    }

    @Test("the lookup follows entries that change")
    func followsChanges() {
        var plan = RowPlan(entries: [.init(name: "price", position: 0, converter: .json)])
        #expect(Self.index(plan, "weight", at: 1) == nil)
        plan.entries.append(.init(name: "weight", position: 1, converter: .json))
        #expect(Self.index(plan, "weight", at: 1) == 1)
        #expect(Self.index(plan, "weight", at: 5) == 1)
        plan.entries.removeAll()
        #expect(Self.index(plan, "price", at: 0) == nil)
    }
}
