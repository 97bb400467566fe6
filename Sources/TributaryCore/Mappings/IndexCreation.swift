/// What the answer to `PUT /<index>` (creating an index with derived
/// mappings) means for the first write to that index.
public enum IndexCreation: Sendable, Hashable {
    /// The index was created with the mappings.
    case created
    /// The index (or an alias of that name) already exists: it is left exactly as it is.
    case exists
    /// The cluster is unavailable, overloaded or refuses the credentials:
    /// try again after a backoff; the first write waits.
    case retry(reason: String)
    /// The request can never succeed as sent (an invalid mapping, no
    /// permission to create indexes): write without the mappings
    /// (dynamic mapping), logging the reason.
    case giveUp(reason: String)

    /// Classifies an HTTP answer (a transport error, with no answer, is `.retry`).
    public static func classify(status: Int, body: [UInt8]) -> IndexCreation {
        if (200..<300).contains(status) { return .created }
        let (type, reason) = BulkResponse.errorSummary(body)
        switch status {
        case 400 where type == "resource_already_exists_exception":
            return .exists
        case 400 where type == "invalid_index_name_exception" && reason.contains("exists as alias"):
            return .exists
        case 401, 408, 429, 500...599:
            return .retry(reason: "HTTP \(status) \(reason)")
        case 403 where type == "cluster_block_exception":
            return .retry(reason: "HTTP \(status) \(reason)")
        default:
            return .giveUp(reason: "HTTP \(status) \(reason)")
        }
    }
}
