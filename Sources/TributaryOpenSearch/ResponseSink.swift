import CCurl

/// Collects a response body. libcurl's write callback only appends here
/// (it records; Swift reads the bytes after the transfer).
final class ResponseSink {
    private(set) var bytes: [UInt8] = []

    func reset() {
        bytes = []
    }

    /// Hands the collected body to the caller and empties the sink.
    func take() -> [UInt8] {
        defer { bytes = [] }
        return bytes
    }

    func append(_ chunk: UnsafeRawBufferPointer) {
        bytes.append(contentsOf: chunk)
    }

    /// `CURLOPT_WRITEFUNCTION`: `userdata` is an unretained `ResponseSink`
    /// that the owning ``CurlEasy`` keeps alive.
    static let writeCallback: ccurl_write_callback = { data, size, count, userdata in
        let total = size * count
        guard let data, let userdata, total > 0 else { return total }
        let sink = Unmanaged<ResponseSink>.fromOpaque(userdata).takeUnretainedValue()
        sink.append(UnsafeRawBufferPointer(start: data, count: total))
        return total
    }
}
