import Foundation
import Logging
import ServiceLifecycle
import ServiceLifecycleTestKit
import Testing
import TributaryCore
import TributaryKafka
@testable import TributaryWorker

@Suite("Connector service lifecycle", .timeLimit(.minutes(1)))
struct GracefulShutdownTests {
    let logger = Logger(label: "test")

    /// A closed loopback port: every bulk request fails to connect.
    func deadPort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    func config(bootstrap: String, url: String) throws -> ConnectorConfig {
        let text = """
            {"name": "shutdown-test", "config": {
              "topics": "pg.public.items", "kafka.bootstrap.servers": "\(bootstrap)",
              "kafka.session.timeout.ms": "3000", "kafka.heartbeat.interval.ms": "300",
              "connection.url": "\(url)", "connection.timeout.ms": "200",
              "retry.backoff.ms": "20", "retry.backoff.max.ms": "100", "max.retries": "1",
              "shutdown.timeout.ms": "1000", "log.summary.interval.ms": "0"}}
            """
        return try ConnectorConfig.parse(Array(text.utf8), substitution: Substitution(environment: { _ in nil }, readFile: { _ in "" }))
    }

    @Test("with OpenSearch down, a graceful shutdown returns within the bound and commits nothing unconfirmed")
    func shutdownDuringOutage() async throws {
        let cluster = try MockKafkaCluster(brokers: 1, logger: logger)
        try cluster.createTopic("pg.public.items", partitions: 2)
        let producer = try KafkaProducer(configuration: ["bootstrap.servers": cluster.bootstrapServers], logger: logger)
        for i in 0..<10 {
            let value = #"{"op":"c","after":{"id":\#(i)},"source":{"lsn":\#(100 + i),"table":"items"}}"#
            try producer.produce(
                topic: "pg.public.items", partition: Int32(i % 2), key: Array(#"{"id":\#(i)}"#.utf8), value: Array(value.utf8),
                headers: [], token: UInt64(i))
        }
        #expect(producer.flush(timeoutMs: 10_000))
        let config = try config(bootstrap: cluster.bootstrapServers, url: "http://127.0.0.1:\(deadPort())")

        let started = ContinuousClock.now
        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await ConnectorService(config: config, logger: logger).run() }
                // Long enough to join the group (the mock's first join takes ~3 s) and fail some bulks.
                try await Task.sleep(for: .seconds(5))
                trigger.triggerGracefulShutdown()
                try await group.waitForAll()
            }
        }
        #expect(ContinuousClock.now - started < .seconds(15))

        let reader = try KafkaConsumer(configuration: ["bootstrap.servers": cluster.bootstrapServers, "group.id": "tributary-shutdown-test"], logger: logger)
        defer { reader.close() }
        let committed = try reader.committed(
            [TopicPartition(topic: "pg.public.items", partition: 0), TopicPartition(topic: "pg.public.items", partition: 1)], timeoutMs: 5000)
        #expect(committed.isEmpty, "nothing was indexed, so nothing may be committed: \(committed)")
    }
}
