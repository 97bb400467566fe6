/// Debezium's placeholder for a column value it did not receive: an
/// unchanged TOASTed PostgreSQL column (or an unchanged Oracle LOB) in an
/// update. Writing it would overwrite real data, so such columns are removed
/// from the row and the write becomes a partial update (`toast.mode`).
///
/// The placeholder is the string `__debezium_unavailable_value`; array
/// columns carry it as an element; `bytea` columns carry its base64.
public enum UnavailableValue {
    public static let placeholder = "__debezium_unavailable_value"
    /// The placeholder's UTF-8 bytes in base64, as a `bytea` column carries it.
    public static let base64Placeholder = "X19kZWJleml1bV91bmF2YWlsYWJsZV92YWx1ZQ=="

    /// Whether `value` is (or, for an array column, contains) the placeholder.
    @inline(__always)
    public static func isUnavailable(_ value: JSONValue) -> Bool {
        switch value {
        case .string(let text):
            return isPlaceholder(text)
        case .array(let elements):
            guard let first = elements.first, case .string = first else { return false }
            return elements.contains { if case .string(let text) = $0 { isPlaceholder(text) } else { false } }
        default:
            return false
        }
    }

    @inline(__always)
    static func isPlaceholder(_ text: String) -> Bool {
        let count = text.utf8.count
        guard count == 28 || count == 40 else { return false }  // length check first: almost every string fails it
        return text == placeholder || text == base64Placeholder
    }

    /// Removes unavailable columns from `row`; returns their names (empty
    /// when the row is complete, the common case, which allocates nothing).
    public static func removeUnavailable(from row: inout JSONObject) -> [String] {
        guard row.members.contains(where: { isUnavailable($0.value) }) else { return [] }
        let names = row.members.filter { isUnavailable($0.value) }.map(\.key)
        row.removeAll { isUnavailable($0.value) }
        return names
    }
}
