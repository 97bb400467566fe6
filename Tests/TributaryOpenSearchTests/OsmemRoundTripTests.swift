import Foundation
import Testing
import TributaryOpenSearch

/// Requests against a real osmem-server: bulk with external versions,
/// conflicts, reads, method switching on one handle, failover.
@Suite(.osmemServer, .serialized, .timeLimit(.minutes(1)))
struct OsmemRoundTripTests {
    @Test func bulkWithExternalVersionsReplayConflictsAndReadBack() async throws {
        let server = try OsmemServer.required()
        let connection = try OpenSearchConnection(configuration: .init(urls: [server.url + "/"]))

        let created = try await connection.send("PUT", "/t", #"{"settings":{"number_of_shards":1}}"#)
        #expect(created.status == 200)

        let bulk = ndjson(
            #"{"index":{"_index":"t","_id":"1","version":5,"version_type":"external"}}"#,
            #"{"name":"first","n":1}"#,
            #"{"index":{"_index":"t","_id":"2","version":3,"version_type":"external"}}"#,
            #"{"name":"second","n":2}"#
        )
        let first = try await connection.send("POST", "/_bulk", bulk, contentType: "application/x-ndjson")
        #expect(first.status == 200)
        #expect(first.url == server.url + "/_bulk")
        let items = try bulkItems(first)
        #expect(items.map(\.action) == ["index", "index"])
        #expect(items.map(\.status) == [201, 201])
        #expect(items.map(\.version) == [5, 3])

        let replay = try await connection.send("POST", "/_bulk", bulk, contentType: "application/x-ndjson")
        #expect(replay.status == 200)
        let replayed = try bulkItems(replay)
        #expect(replayed.map(\.status) == [409, 409])
        #expect(replayed.map(\.errorType) == ["version_conflict_engine_exception", "version_conflict_engine_exception"])

        let document = try await connection.send("GET", "/t/_doc/1")
        #expect(document.status == 200)
        let body = try jsonObject(document)
        #expect(body["found"] as? Bool == true)
        #expect(body["_version"] as? Int == 5)
        #expect((body["_source"] as? [String: Any])?["name"] as? String == "first")

        // Four requests, one TCP connection.
        #expect(connection.connectionsOpened == 1)
    }

    @Test func methodsSwitchCleanlyOnOneHandle() async throws {
        let server = try OsmemServer.required()
        let connection = try OpenSearchConnection(configuration: .init(urls: [server.url]))

        #expect(try await connection.send("PUT", "/m", "{}").status == 200)
        #expect(try await connection.send("PUT", "/m/_doc/a", #"{"n":7}"#).status == 201)
        let head = try await connection.send("HEAD", "/m")
        #expect(head.status == 200)
        #expect(head.body.isEmpty)
        #expect(try await connection.send("HEAD", "/no-such-index").status == 404)
        // POST without a body sends Content-Length: 0.
        #expect(try await connection.send("POST", "/m/_refresh").status == 200)
        // GET with a body (a query) after a POST.
        let search = try await connection.send("GET", "/m/_search", #"{"query":{"range":{"n":{"gte":5}}}}"#)
        #expect(search.status == 200)
        let hits = try jsonObject(search)["hits"] as? [String: Any]
        #expect((hits?["total"] as? [String: Any])?["value"] as? Int == 1)
        // DELETE without a body, then a plain GET: no method state leaks.
        #expect(try await connection.send("DELETE", "/m/_doc/a").status == 200)
        #expect(try await connection.send("GET", "/m/_doc/a").status == 404)
        #expect(connection.connectionsOpened == 1)
    }

    @Test func httpErrorStatusesAreResponsesAndDoNotMoveTheConnection() async throws {
        let server = try OsmemServer.required()
        let connection = try OpenSearchConnection(configuration: .init(urls: [server.url, "http://127.0.0.1:1"]))
        let missing = try await connection.send("GET", "/missing-index/_doc/1")
        #expect(missing.status == 404)
        let error = try jsonObject(missing)["error"] as? [String: Any]
        #expect(error?["type"] as? String == "index_not_found_exception")
        #expect(connection.currentURL == server.url)
    }

    @Test func failsOverFromADeadNodeToALiveOne() async throws {
        let server = try OsmemServer.required()
        let dead = "http://127.0.0.1:\(try TestListener.deadPort())"
        let connection = try OpenSearchConnection(configuration: .init(urls: [dead, server.url]))
        #expect(connection.currentURL == dead)

        let error = await #expect(throws: TransportError.self) {
            try await connection.send("GET", "/")
        }
        #expect(error?.kind == .connect)
        #expect(error?.isRetryable == true)
        #expect(connection.currentURL == server.url)

        let response = try await connection.send("GET", "/")
        #expect(response.status == 200)
        #expect(response.url == server.url + "/")
    }

    @Test func largeBulkRoundTrip() async throws {
        let server = try OsmemServer.required()
        let connection = try OpenSearchConnection(configuration: .init(urls: [server.url]))
        var lines: [String] = []
        for id in 0..<1_000 {
            lines.append(#"{"index":{"_index":"big","_id":"\#(id)","version":1,"version_type":"external"}}"#)
            lines.append(#"{"payload":"\#(String(repeating: "x", count: 400))","id":\#(id)}"#)
        }
        let body = lines.map { $0 + "\n" }.joined()
        let response = try await connection.send("POST", "/_bulk", body, contentType: "application/x-ndjson")
        #expect(response.status == 200)
        let items = try bulkItems(response)
        #expect(items.count == 1_000)
        #expect(items.allSatisfy { $0.status == 201 })
    }
}
