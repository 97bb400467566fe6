/// The working state of one `JSONParser.parse` call: the input and a cursor.
///
/// Iterative, not recursive: open arrays and objects live on explicit stacks,
/// so depth costs heap rather than call stack. The elements of all open
/// containers share one stack (`values` for arrays, `members` for objects); a
/// container that closes moves its slice out into an array of exactly its size,
/// so every container costs one allocation however many elements it has.
struct JSONByteParser: ~Copyable {
    let input: UnsafeBufferPointer<UInt8>
    let limits: JSONLimits
    /// The offset of the next byte to read.
    var index = 0
    /// Decoded bytes of the escaped string being built, reused across strings.
    var scratch: [UInt8] = []
    /// The open containers, innermost last.
    private var frames: [Frame] = []
    /// The elements of all open arrays.
    private var values = Stack<JSONValue>(capacity: 16)
    /// The members of all open objects.
    private var members = Stack<JSONObject.Member>(capacity: 64)
    /// The key of the member being parsed, one per open object.
    private var keys = Stack<String>(capacity: 16)

    init(input: UnsafeBufferPointer<UInt8>, limits: JSONLimits) {
        self.input = input
        self.limits = limits
    }

    /// One open container: its kind and where its elements start on the shared stack.
    private struct Frame {
        var isObject: Bool
        var start: Int
    }

    /// Parses the whole input as one value surrounded by optional whitespace.
    mutating func parseDocument() throws(JSONParseError) -> JSONValue {
        if let maxInputBytes = limits.maxInputBytes, input.count > maxInputBytes {
            throw error(.inputTooLarge, at: max(maxInputBytes, 0))
        }
        skipWhitespace()
        let value = try parseValue()
        skipWhitespace()
        guard index == input.count else { throw error(.trailingData, at: index) }
        return value
    }

    /// Parses one value starting at `index` (whitespace already skipped).
    private mutating func parseValue() throws(JSONParseError) -> JSONValue {
        nextValue: while true {
            guard index < input.count else { throw error(.unexpectedEnd, at: index) }
            var value: JSONValue
            switch input[index] {
            case UInt8(ascii: "{"):
                guard frames.count < limits.maxDepth else { throw error(.tooDeep, at: index) }
                index += 1
                skipWhitespace()
                if index < input.count, input[index] == UInt8(ascii: "}") {
                    index += 1
                    value = .object(JSONObject())
                } else {
                    frames.append(Frame(isObject: true, start: members.count))
                    keys.push(try parseKey())
                    continue nextValue
                }
            case UInt8(ascii: "["):
                guard frames.count < limits.maxDepth else { throw error(.tooDeep, at: index) }
                index += 1
                skipWhitespace()
                if index < input.count, input[index] == UInt8(ascii: "]") {
                    index += 1
                    value = .array([])
                } else {
                    frames.append(Frame(isObject: false, start: values.count))
                    continue nextValue
                }
            case UInt8(ascii: "\""):
                value = .string(try parseString())
            case UInt8(ascii: "t"):
                try expectWord("true")
                value = .bool(true)
            case UInt8(ascii: "f"):
                try expectWord("false")
                value = .bool(false)
            case UInt8(ascii: "n"):
                try expectWord("null")
                value = .null
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                value = .number(try parseNumber())
            default:
                throw error(.unexpectedCharacter, at: index)
            }

            // Hand the finished value to its container, closing every container that ends here.
            while let frame = frames.last {
                if frame.isObject {
                    members.push((key: keys.popLast(), value: consume value))
                } else {
                    values.push(consume value)
                }
                skipWhitespace()
                guard index < input.count else { throw error(.unexpectedEnd, at: index) }
                let separator = input[index]
                if separator == UInt8(ascii: ",") {
                    index += 1
                    skipWhitespace()
                    if frame.isObject { keys.push(try parseKey()) }
                    continue nextValue
                }
                guard separator == (frame.isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) else {
                    throw error(.unexpectedCharacter, at: index)
                }
                index += 1
                frames.removeLast()
                value = frame.isObject
                    ? .object(JSONObject(members.popArray(from: frame.start)))
                    : .array(values.popArray(from: frame.start))
            }
            return value
        }
    }

    /// Parses `"key"` `:` and the whitespace around the colon.
    private mutating func parseKey() throws(JSONParseError) -> String {
        guard index < input.count else { throw error(.unexpectedEnd, at: index) }
        guard input[index] == UInt8(ascii: "\"") else { throw error(.unexpectedCharacter, at: index) }
        let key = try parseString()
        skipWhitespace()
        guard index < input.count else { throw error(.unexpectedEnd, at: index) }
        guard input[index] == UInt8(ascii: ":") else { throw error(.unexpectedCharacter, at: index) }
        index += 1
        skipWhitespace()
        return key
    }

    /// Advances past JSON whitespace (space, tab, line feed, carriage return).
    @inline(__always)
    mutating func skipWhitespace() {
        while index < input.count {
            let byte = input[index]
            guard byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 else { return }
            index += 1
        }
    }

    /// An error at `offset`, carrying the byte found there (if any).
    func error(_ code: JSONParseError.Code, at offset: Int) -> JSONParseError {
        JSONParseError(code: code, byteOffset: offset, byte: offset < input.count ? input[offset] : nil)
    }
}
