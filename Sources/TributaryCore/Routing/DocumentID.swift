/// Derives an OpenSearch `_id` from a record key.
///
/// The encoding is stable and documented (README, "Document ids"):
/// - one key column: its value as text — a string as is, a number as its
///   JSON literal (`1001`), a boolean as `true`/`false`;
/// - several key columns: the values in key order joined with `|` (or the
///   `key.delimiter`), where each value has `\` and the delimiter escaped
///   with a backslash (`1|23`, `a\|b|7`);
/// - an object or array column value: its compact JSON text.
///
/// `_id` is limited to 512 bytes by OpenSearch; a longer id is rejected here
/// with a clear error rather than by the cluster.
public enum DocumentID {
    /// The maximum `_id` length OpenSearch accepts, in UTF-8 bytes.
    public static let maxBytes = 512

    public static func make(from key: RecordKey, delimiter: String = "|") throws(DecodeError) -> String {
        let id: String
        if key.columns.count == 1 {
            guard let text = text(of: key.columns[0].value) else {
                throw DecodeError(.missingKey, "key column '\(key.columns[0].name)' is null; cannot derive a document id")
            }
            id = text
        } else {
            var parts: [String] = []
            parts.reserveCapacity(key.columns.count)
            for column in key.columns {
                guard let text = text(of: column.value) else {
                    throw DecodeError(.missingKey, "key column '\(column.name)' is null; cannot derive a document id")
                }
                parts.append(escape(text, delimiter: delimiter))
            }
            id = parts.joined(separator: delimiter)
        }
        guard !id.isEmpty else {
            throw DecodeError(.missingKey, "key is empty; cannot derive a document id")
        }
        guard id.utf8.count <= maxBytes else {
            throw DecodeError(.missingKey, "document id is \(id.utf8.count) bytes; OpenSearch allows at most \(maxBytes)")
        }
        return id
    }

    private static func text(of value: JSONValue) -> String? {
        switch value {
        case .null: nil
        case .string(let s): s
        case .number(let n): n.text
        case .bool(let b): b ? "true" : "false"
        case .array, .object: value.description
        }
    }

    private static func escape(_ text: String, delimiter: String) -> String {
        if delimiter == "|" {
            guard text.utf8.contains(where: { $0 == UInt8(ascii: "|") || $0 == UInt8(ascii: "\\") }) else { return text }
        } else {
            guard text.contains(delimiter) || text.utf8.contains(UInt8(ascii: "\\")) else { return text }
        }
        // Backslashes first, then every occurrence of the delimiter.
        let escapedBackslashes = text.replacing("\\", with: "\\\\")
        return delimiter.isEmpty ? escapedBackslashes : escapedBackslashes.replacing(delimiter, with: "\\" + delimiter)
    }
}
