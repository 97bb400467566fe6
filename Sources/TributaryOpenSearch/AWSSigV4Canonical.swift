/// The canonical forms of SigV4's canonical request: URI, query and headers.
enum AWSSigV4Canonical {
    /// Removes dot segments (RFC 3986 §5.2.4, as libcurl does before sending),
    /// then URI-encodes every byte but the unreserved ones and `/`. An
    /// already percent-encoded path is thus encoded twice, which is what
    /// SigV4 expects of every service except S3.
    static func uri(_ path: String) -> String {
        let path = path.isEmpty ? "/" : path
        return encode(removingDotSegments(path), keepingSlash: true)
    }

    /// Splits on `&`, percent-decodes each name and value, re-encodes them
    /// strictly (`+` stays a plus: `%2B`), sorts by name then value and joins
    /// them as `name=value` pairs.
    static func query(_ query: String) -> String {
        let pairs = query.split(separator: "&", omittingEmptySubsequences: true).map { component in
            let parts = component.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = encode(percentDecoded(parts[0]), keepingSlash: false)
            let value = parts.count > 1 ? encode(percentDecoded(parts[1]), keepingSlash: false) : ""
            return (name, value)
        }
        return pairs.sorted { ($0.0.utf8.lexicographicallyPrecedes($1.0.utf8))
            || ($0.0 == $1.0 && $0.1.utf8.lexicographicallyPrecedes($1.1.utf8)) }
            .map { "\($0.0)=\($0.1)" }
            .joined(separator: "&")
    }

    /// `name:value\n` lines sorted by lowercased name (values trimmed, inner
    /// runs of spaces collapsed, repeated names joined with commas in order),
    /// and the `;`-joined list of those names.
    static func headers(_ headers: [(name: String, value: String)]) -> (block: String, signedNames: String) {
        var values: [String: [String]] = [:]
        for (name, value) in headers {
            values[name.lowercased(), default: []].append(normalized(value))
        }
        let names = values.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        let block = names.map { "\($0):\(values[$0, default: []].joined(separator: ","))\n" }.joined()
        return (block, names.joined(separator: ";"))
    }

    // MARK: Pieces

    static func removingDotSegments(_ path: String) -> String {
        guard path.contains(".") else { return path }
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        var output: [Substring] = []
        for (index, segment) in segments.enumerated() {
            let isLast = index == segments.count - 1
            switch segment {
            case ".":
                if isLast { output.append("") }
            case "..":
                if output.count > 1 { output.removeLast() }
                if isLast { output.append("") }
            default:
                output.append(segment)
            }
        }
        let joined = output.joined(separator: "/")
        return joined.hasPrefix("/") ? joined : "/" + joined
    }

    /// Trims spaces and tabs and collapses inner runs of them to one space.
    private static func normalized(_ value: String) -> String {
        value.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" })
            .joined(separator: " ")
    }

    /// RFC 3986 unreserved bytes pass; every other byte becomes `%XX` (upper case).
    static func encode<Bytes: Sequence<UInt8>>(_ bytes: Bytes, keepingSlash: Bool) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        for byte in bytes {
            if isUnreserved(byte) || (keepingSlash && byte == UInt8(ascii: "/")) {
                out.append(byte)
            } else {
                out.append(contentsOf: [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func encode(_ text: String, keepingSlash: Bool) -> String {
        encode(text.utf8, keepingSlash: keepingSlash)
    }

    /// `%XX` becomes its byte; a `%` without two hex digits stays as is.
    static func percentDecoded(_ text: Substring) -> [UInt8] {
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "%"), index + 2 < bytes.count,
                let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2])
            {
                out.append(high << 4 | low)
                index += 3
            } else {
                out.append(bytes[index])
                index += 1
            }
        }
        return out
    }

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
            UInt8(ascii: "~"):
            true
        default:
            false
        }
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
