import Testing
import Foundation
@testable import TributaryCore

@Suite("temp bench") struct ZZTempBench {
    @Test func bench() throws {
        guard ProcessInfo.processInfo.environment["TRIB_BENCH"] == "1" else { return }
        for name in ["postgres-products-snapshot-read-schema", "mysql-customers-create-schema", "postgres-orders-create-schema", "postgres-t-snapshot-read-temporal-schema"] {
            let value = try Fixtures.value(name)!
            let key = Array(#"{"id":1}"#.utf8)
            for (label, router) in [("auto", DocumentRouter()), ("none", DocumentRouter(versionSource: .none))] {
                let n = 20000
                let start = DispatchTime.now().uptimeNanoseconds
                for i in 0..<n { _ = try router.route(topic: "a.b.c", offset: Int64(i), key: key, value: value) }
                let ns = Double(DispatchTime.now().uptimeNanoseconds - start) / Double(n)
                var parse = DispatchTime.now().uptimeNanoseconds
                for _ in 0..<n { _ = try JSONParser.parse(value) }
                parse = (DispatchTime.now().uptimeNanoseconds - parse) / UInt64(n)
                print("BENCH \(name) \(label): \(Int(ns)) ns/record (parse alone \(parse) ns, \(value.count) bytes)")
            }
        }
    }
}
