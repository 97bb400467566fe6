import Foundation
import TributaryOpenSearch

extension OpenSearchConnection {
    /// Test convenience: `perform` on a dedicated thread with a text body.
    func send(
        _ method: String, _ path: String, _ body: String? = nil, contentType: String = "application/json"
    ) async throws(TransportError) -> HTTPResponse {
        let bytes = body.map { Array($0.utf8) }
        return try await onDedicatedThread { () throws(TransportError) -> HTTPResponse in
            try self.perform(method: method, path: path, body: bytes, contentType: contentType)
        }
    }
}

/// Joins JSON lines into an NDJSON body (with the trailing newline `_bulk` needs).
func ndjson(_ lines: String...) -> String {
    lines.map { $0 + "\n" }.joined()
}

/// The response body as a JSON object.
func jsonObject(_ response: HTTPResponse) throws -> [String: Any] {
    guard let object = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any] else {
        throw HelperError.notAnObject(String(decoding: response.body, as: UTF8.self))
    }
    return object
}

/// One `_bulk` response item: its action (`index`, `delete`, ...) and fields.
struct BulkItem {
    var action: String
    var status: Int
    var version: Int?
    var errorType: String?
}

func bulkItems(_ response: HTTPResponse) throws -> [BulkItem] {
    let items = try jsonObject(response)["items"] as? [[String: [String: Any]]] ?? []
    return items.compactMap { item in
        guard let (action, fields) = item.first else { return nil }
        return BulkItem(
            action: action,
            status: fields["status"] as? Int ?? -1,
            version: fields["_version"] as? Int,
            errorType: (fields["error"] as? [String: Any])?["type"] as? String
        )
    }
}

enum HelperError: Error {
    case notAnObject(String)
}
