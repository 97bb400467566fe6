/// Strict RFC 8259 JSON parsing from bytes into `JSONValue`.
///
/// Accepts exactly one value with optional surrounding whitespace and rejects
/// everything else: trailing data, leading zeros, `NaN`/`Infinity`, unescaped
/// control characters, unpaired surrogate escapes, malformed UTF-8 and a byte
/// order mark. Nothing is repaired or replaced. Numbers keep their literal text.
/// Duplicate object keys are kept, in document order.
///
/// Pure and thread-safe; the parser holds no state between calls. Nesting is
/// handled without recursion and bounded by `JSONLimits.maxDepth`.
public enum JSONParser {
    /// Parses the JSON document in `bytes`. The memory is only read during the call.
    public static func parse(
        _ bytes: UnsafeRawBufferPointer, limits: JSONLimits = JSONLimits()
    ) throws(JSONParseError) -> JSONValue {
        // Byte buffers are bound to UInt8 in practice ([UInt8], String storage,
        // librdkafka payloads); the parser only reads them.
        let input = UnsafeBufferPointer(start: bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), count: bytes.count)
        var parser = JSONByteParser(input: input, limits: limits)
        return try parser.parseDocument()
    }

    /// Parses the JSON document in `bytes`.
    public static func parse(_ bytes: [UInt8], limits: JSONLimits = JSONLimits()) throws(JSONParseError) -> JSONValue {
        let result = bytes.withUnsafeBytes { raw in
            Result { () throws(JSONParseError) in try parse(raw, limits: limits) }
        }
        return try result.get()
    }

    /// Parses the JSON document in the UTF-8 of `text`.
    public static func parse(_ text: String, limits: JSONLimits = JSONLimits()) throws(JSONParseError) -> JSONValue {
        var text = text
        let result = text.withUTF8 { utf8 in
            Result { () throws(JSONParseError) in try parse(UnsafeRawBufferPointer(utf8), limits: limits) }
        }
        return try result.get()
    }
}
