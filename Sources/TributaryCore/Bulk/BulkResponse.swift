/// The parsed body of a `_bulk` response.
public struct BulkResponse: Sendable, Hashable {
    /// One entry of `items`, in request order.
    public struct Item: Sendable, Hashable {
        public var action: BulkItem.Action
        public var status: Int
        /// `error.type`, e.g. `version_conflict_engine_exception`.
        public var errorType: String?
        /// `error.reason`.
        public var errorReason: String?
        /// `result`, e.g. `created`, `updated`, `deleted`, `not_found`.
        public var result: String?

        public init(action: BulkItem.Action, status: Int, errorType: String? = nil, errorReason: String? = nil, result: String? = nil) {
            self.action = action
            self.status = status
            self.errorType = errorType
            self.errorReason = errorReason
            self.result = result
        }

        /// `type: reason`, or the status alone.
        public var errorDescription: String {
            switch (errorType, errorReason) {
            case (let type?, let reason?): "\(type): \(reason)"
            case (let type?, nil): type
            case (nil, let reason?): reason
            case (nil, nil): "status \(status)"
            }
        }
    }

    public var items: [Item]
    public var errors: Bool

    /// The target of every `_bulk` request. `filter_path` (a common REST
    /// parameter of OpenSearch and Elasticsearch) keeps only what `parse` and
    /// `errorSummary` read: `errors`, each item's `status`, `result` and
    /// `error` (under its action's name), and a failed request's `error` and
    /// `status`. An item then takes about 40 bytes instead of about 200, and
    /// reading the responses was most of the writers' time. A server that
    /// ignores the parameter sends the whole response, which reads the same.
    public static let requestPath = "/_bulk?filter_path=errors,items.*.status,items.*.result,items.*.error,error,status"

    public init(items: [Item], errors: Bool) {
        self.items = items
        self.errors = errors
    }

    /// Why a response body could not be used.
    public struct ParseError: Error, Sendable, Hashable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    /// Parses a `_bulk` response body, which must hold exactly `expectedItems` items.
    ///
    /// A well-formed response is read in one pass without building it
    /// (`scan`); anything else is parsed as a tree, which says what is wrong.
    public static func parse(_ body: [UInt8], expectedItems: Int) throws(ParseError) -> BulkResponse {
        if let scanned = body.withUnsafeBytes({ scan($0, expectedItems: expectedItems) }) { return scanned }
        return try parseTree(body, expectedItems: expectedItems)
    }

    /// `parse` through a `JSONValue` tree.
    static func parseTree(_ body: [UInt8], expectedItems: Int) throws(ParseError) -> BulkResponse {
        let json: JSONValue
        do {
            json = try JSONParser.parse(body)
        } catch {
            throw ParseError(message: "bulk response is not JSON (\(error)): \(preview(body))")
        }
        guard let root = json.objectValue, let items = root["items"]?.arrayValue else {
            throw ParseError(message: "bulk response has no 'items' array: \(preview(body))")
        }
        guard items.count == expectedItems else {
            throw ParseError(message: "bulk response has \(items.count) items for \(expectedItems) operations")
        }
        var parsed: [Item] = []
        parsed.reserveCapacity(items.count)
        for entry in items {
            guard let object = entry.objectValue, let first = object.members.first,
                let body = first.value.objectValue
            else {
                throw ParseError(message: "bulk response item is not an object of one action")
            }
            let action: BulkItem.Action = first.key == "delete" ? .delete : first.key == "update" ? .update : .index
            guard let status = body["status"]?.numberValue?.int64 else {
                throw ParseError(message: "bulk response item has no status")
            }
            let error = body["error"]
            parsed.append(
                Item(
                    action: action,
                    status: Int(status),
                    errorType: error?["type"]?.stringValue,
                    errorReason: error?["reason"]?.stringValue ?? error?.stringValue,
                    result: body["result"]?.stringValue
                ))
        }
        return BulkResponse(items: parsed, errors: root["errors"]?.boolValue ?? false)
    }

    /// The error type and reason of a non-bulk error body
    /// (`{"error":{"type":…,"reason":…},"status":…}`), when it has them.
    public static func errorSummary(_ body: [UInt8]) -> (type: String?, reason: String) {
        if let json = try? JSONParser.parse(body), let error = json["error"] {
            if let type = error["type"]?.stringValue {
                return (type, "\(type): \(error["reason"]?.stringValue ?? "")")
            }
            if let text = error.stringValue { return (nil, text) }
        }
        return (nil, preview(body))
    }

    /// The start of a body, for error messages (never the whole of a large body).
    public static func preview(_ body: [UInt8], limit: Int = 200) -> String {
        let head = String(decoding: body.prefix(limit), as: UTF8.self)
        return body.count > limit ? head + "…" : head
    }
}
