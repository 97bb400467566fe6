import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A tiny TCP server on 127.0.0.1 for transport tests, run on its own thread.
/// It handles one connection at a time and records what it saw.
final class TestListener: Sendable {
    enum Behavior: Sendable {
        /// Accept and never answer (for timeouts).
        case silent
        /// Accept and close at once (for resets).
        case closeImmediately
        /// Read each request (headers + Content-Length body), record it and
        /// answer with this status and body, keeping the connection open.
        case respond(status: Int, body: String)
        /// Like `respond`, with the status and body chosen per request (given
        /// the request as recorded): a stand-in for STS, IMDS, ECS endpoints.
        case handler(@Sendable (String) -> (status: Int, body: String))
    }

    struct State {
        var accepted = 0
        var requests: [String] = []
        var openFDs: Set<Int32> = []
        var stopped = false
    }

    let port: Int
    private let listenFD: Int32
    private let state = Mutex(State())

    init(_ behavior: Behavior) throws {
        let (fd, port) = try Self.bindLoopback()
        guard listen(fd, 16) == 0 else { close(fd); throw ListenerError.socket("listen") }
        listenFD = fd
        self.port = port
        let thread = Thread { [self] in acceptLoop(behavior) }
        thread.start()
    }

    var url: String { "http://127.0.0.1:\(port)" }
    var acceptedConnections: Int { state.withLock { $0.accepted } }
    /// Each request as text: request line, headers, blank line, body.
    var requests: [String] { state.withLock { $0.requests } }

    /// Stops accepting and closes every connection it holds.
    func stop() {
        let fds = state.withLock { state -> Set<Int32> in
            state.stopped = true
            return state.openFDs
        }
        for fd in fds { shutdown(fd, Int32(SHUT_RDWR)) }
        shutdown(listenFD, Int32(SHUT_RDWR))
    }

    deinit {
        close(listenFD)
        for fd in state.withLock({ $0.openFDs }) { close(fd) }
    }

    /// A port on 127.0.0.1 that nothing listens on (bound, then released).
    static func deadPort() throws -> Int {
        let (fd, port) = try bindLoopback()
        close(fd)
        return port
    }

    /// Whether something accepts TCP connections on 127.0.0.1:`port` now.
    static func canConnect(port: Int) -> Bool {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = loopback(port: port)
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr = in_addr(s_addr: UInt32(0x7F00_0001).bigEndian)
        return address
    }

    // MARK: Serving

    private func acceptLoop(_ behavior: Behavior) {
        while true {
            let fd = accept(listenFD, nil, nil)
            guard fd >= 0 else { return }
            let stopped = state.withLock { state -> Bool in
                state.accepted += 1
                state.openFDs.insert(fd)
                return state.stopped
            }
            if stopped { shutdown(fd, Int32(SHUT_RDWR)) }
            switch behavior {
            case .silent:
                continue  // held open until stop()
            case .closeImmediately:
                forget(fd)
            case .respond(let status, let body):
                serve(fd) { _ in (status, body) }
                forget(fd)
            case .handler(let respond):
                serve(fd, respond)
                forget(fd)
            }
        }
    }

    private func forget(_ fd: Int32) {
        state.withLock { _ = $0.openFDs.remove(fd) }
        close(fd)
    }

    private func serve(_ fd: Int32, _ respond: (String) -> (status: Int, body: String)) {
        var pending: [UInt8] = []
        while let request = readRequest(fd, &pending) {
            state.withLock { $0.requests.append(request) }
            let (status, body) = respond(request)
            let payload = Array(body.utf8)
            let head = "HTTP/1.1 \(status) Fixed\r\nContent-Type: application/json\r\nContent-Length: \(payload.count)\r\n\r\n"
            let response = Array(head.utf8) + payload
            var sent = 0
            while sent < response.count {
                let n = response[sent...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
                guard n > 0 else { return }
                sent += n
            }
        }
    }

    /// Reads one request (headers, then Content-Length bytes); nil at EOF.
    private func readRequest(_ fd: Int32, _ pending: inout [UInt8]) -> String? {
        let separator = Array("\r\n\r\n".utf8)
        var headerEnd: Int?
        var needed = Int.max
        while true {
            if headerEnd == nil, let range = pending.firstRange(of: separator) {
                headerEnd = range.upperBound
                let head = String(decoding: pending[..<range.lowerBound], as: UTF8.self)
                needed = range.upperBound + Self.contentLength(head)
            }
            if pending.count >= needed {
                let request = String(decoding: pending[..<needed], as: UTF8.self)
                pending.removeFirst(needed)
                return request
            }
            var chunk = [UInt8](repeating: 0, count: 64 * 1024)
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            guard n > 0 else { return nil }
            pending.append(contentsOf: chunk[..<n])
        }
    }

    private static func contentLength(_ head: String) -> Int {
        for line in head.split(separator: "\r\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == "content-length" {
                return Int(parts[1].trimmingCharacters(in: .whitespaces)) ?? 0
            }
        }
        return 0
    }

    private static func bindLoopback() throws -> (Int32, Int) {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw ListenerError.socket("socket") }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = loopback(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                bind(fd, raw, length) == 0 && getsockname(fd, raw, &length) == 0
            }
        }
        guard bound else { close(fd); throw ListenerError.socket("bind") }
        return (fd, Int(UInt16(bigEndian: address.sin_port)))
    }
}

enum ListenerError: Error {
    case socket(String)
}
