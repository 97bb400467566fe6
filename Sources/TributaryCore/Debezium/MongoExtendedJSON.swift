/// Turns MongoDB Extended JSON (canonical or relaxed, as the Debezium
/// MongoDB connector writes `after` and the key's `id`) into plain JSON.
///
/// | Extended JSON | Plain JSON |
/// |---|---|
/// | `{"$oid": "65bc…"}` | `"65bc…"` |
/// | `{"$numberLong": "1001"}`, `{"$numberInt": "7"}` | `1001`, `7` |
/// | `{"$numberDouble": "1.5"}` | `1.5` (`"NaN"`, `"Infinity"` stay strings) |
/// | `{"$numberDecimal": "12.30"}` | `12.30` (a string under `decimal.format=string`) |
/// | `{"$date": {"$numberLong": "ms"}}`, `{"$date": ms}` | `"2024-02-02T14:30:17.000Z"` |
/// | `{"$date": "2024-…Z"}` | the ISO string as is |
/// | `{"$binary": {"base64": b, "subType": "04"}}` | a UUID string `"xxxxxxxx-…"` |
/// | `{"$binary": {"base64": b, …}}`, legacy `{"$binary": b, "$type": t}` | `b` (base64) |
/// | `{"$uuid": "…"}` | the UUID string |
/// | `{"$timestamp": {"t": 1, "i": 2}}` | `{"t": 1, "i": 2}` |
/// | `{"$regularExpression": {"pattern": p, "options": o}}` | `"/p/o"` |
/// | `{"$symbol": s}`, `{"$code": c}` | `s`, `c` |
/// | `{"$minKey": 1}`, `{"$maxKey": 1}`, `{"$undefined": true}` | `"MinKey"`, `"MaxKey"`, `null` |
///
/// Anything else, including `$dbPointer` and `$code` with scope, is converted
/// member by member.
public enum MongoExtendedJSON {
    public static func plain(_ value: JSONValue, options: LogicalTypeOptions = LogicalTypeOptions()) -> JSONValue {
        switch value {
        case .array(let elements):
            return .array(elements.map { plain($0, options: options) })
        case .object(let object):
            if let first = object.members.first, first.key.utf8.first == UInt8(ascii: "$"),
                let converted = wrapper(object, options: options)
            {
                return converted
            }
            var out = JSONObject()
            out.reserveCapacity(object.count)
            for member in object { out.append(key: member.key, value: plain(member.value, options: options)) }
            return .object(out)
        default:
            return value
        }
    }

    /// The plain value of a one-key (or `$binary`/`$type`) wrapper, or `nil` when it is not one.
    private static func wrapper(_ object: JSONObject, options: LogicalTypeOptions) -> JSONValue? {
        let key = object.members[0].key
        let inner = object.members[0].value
        if object.count == 2, key == "$binary", let type = object["$type"], let text = inner.stringValue {
            return binary(base64: text, subType: type.stringValue ?? "")
        }
        guard object.count == 1 else { return nil }
        switch key {
        case "$oid", "$symbol", "$code", "$uuid":
            return inner.stringValue.map { .string($0) }
        case "$numberLong", "$numberInt":
            guard let text = inner.stringValue, Int64(text) != nil else { return nil }
            return .number(JSONNumber(unchecked: String(Int64(text) ?? 0)))
        case "$numberDouble":
            guard let text = inner.stringValue else { return nil }
            return isJSONNumber(text) ? .number(JSONNumber(unchecked: text)) : .string(text)
        case "$numberDecimal":
            guard let text = inner.stringValue else { return nil }
            guard isJSONNumber(text) else { return .string(text) }
            return options.decimalFormat == .string ? .string(text) : .number(JSONNumber(unchecked: text))
        case "$date":
            switch inner {
            case .string(let iso): return .string(iso)
            case .number(let number):
                return number.int64.map { .string(TemporalText.timestamp($0, unit: .milliseconds)) }
            case .object(let long):
                guard let text = long["$numberLong"]?.stringValue, let ms = Int64(text) else { return nil }
                return .string(TemporalText.timestamp(ms, unit: .milliseconds))
            default: return nil
            }
        case "$binary":
            guard let fields = inner.objectValue, let text = fields["base64"]?.stringValue else { return nil }
            return binary(base64: text, subType: fields["subType"]?.stringValue ?? "")
        case "$timestamp":
            guard let fields = inner.objectValue, let t = fields["t"], let i = fields["i"] else { return nil }
            return .object(["t": t, "i": i])
        case "$regularExpression":
            guard let fields = inner.objectValue, let pattern = fields["pattern"]?.stringValue else { return nil }
            return .string("/\(pattern)/\(fields["options"]?.stringValue ?? "")")
        case "$minKey": return .string("MinKey")
        case "$maxKey": return .string("MaxKey")
        case "$undefined": return .null
        default: return nil
        }
    }

    /// Binary subtypes 03/04 holding 16 bytes are UUIDs; everything else stays base64.
    private static func binary(base64 text: String, subType: String) -> JSONValue {
        guard subType == "04" || subType == "4" || subType == "03" || subType == "3",
            let bytes = Base64.decode(text), bytes.count == 16
        else { return .string(text) }
        let hex: [UInt8] = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for (index, byte) in bytes.enumerated() {
            if index == 4 || index == 6 || index == 8 || index == 10 { out.append(UInt8(ascii: "-")) }
            out.append(hex[Int(byte >> 4)])
            out.append(hex[Int(byte & 0x0F)])
        }
        return .string(String(decoding: out, as: UTF8.self))
    }

    /// Whether `text` is a JSON number literal (RFC 8259 grammar).
    static func isJSONNumber(_ text: String) -> Bool {
        guard let parsed = try? JSONParser.parse(text), case .number = parsed else { return false }
        return true
    }

    /// The document id encoded in a MongoDB key's `id`: Debezium writes the
    /// `_id` as Extended JSON text (`{"$oid": "65bc…"}`, `"\"abc\""`, `1001`).
    /// Returns the plain scalar's text, the compact JSON of a compound id, or
    /// `nil` when `text` is not JSON.
    public static func documentID(fromKeyText text: String) -> String? {
        guard let parsed = try? JSONParser.parse(text) else { return nil }
        switch plain(parsed) {
        case .string(let string): return string
        case .number(let number): return number.text
        case .bool(let flag): return flag ? "true" : "false"
        case .null: return nil
        case let compound: return compound.description
        }
    }
}
