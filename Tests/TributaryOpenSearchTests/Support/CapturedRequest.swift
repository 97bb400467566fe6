import Foundation
import Synchronization

/// A request recorded by ``TestListener``, taken apart.
struct CapturedRequest {
    var method: String
    /// Path and query, as on the request line.
    var target: String
    /// Header lines in order, names as sent.
    var headers: [(name: String, value: String)]
    var body: String

    init(_ text: String) {
        let (head, body) =
            if let range = text.range(of: "\r\n\r\n") {
                (String(text[..<range.lowerBound]), String(text[range.upperBound...]))
            } else {
                (text, "")
            }
        let lines = head.components(separatedBy: "\r\n")
        let requestLine = lines.first?.split(separator: " ") ?? []
        method = requestLine.first.map(String.init) ?? ""
        target = requestLine.count > 1 ? String(requestLine[1]) : ""
        headers = lines.dropFirst().compactMap { line in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        self.body = body
    }

    /// The first value of `name`, case-insensitively.
    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    var path: String { String(target.prefix { $0 != "?" }) }
    var query: String { target.firstIndex(of: "?").map { String(target[target.index(after: $0)...]) } ?? "" }
}

/// A directory under the temporary folder, removed by ``remove()``.
struct TemporaryDirectory {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("tributary-aws-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// Writes `text` to `name` inside the directory and returns its path.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let file = path + "/" + name
        try FileManager.default.createDirectory(
            atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// A wall clock that tests move by hand.
final class ManualClock: Sendable {
    private let current: Mutex<Date>

    init(_ start: Date) { current = Mutex(start) }

    var now: Date { current.withLock { $0 } }
    func advance(by seconds: TimeInterval) { current.withLock { $0 += seconds } }
    var function: @Sendable () -> Date { { [self] in now } }
}

/// JSON like the ECS/EKS container endpoint and IMDS answer.
func credentialJSON(keyID: String, secret: String, token: String, expiration: String, code: String? = nil) -> String {
    let codeField = code.map { #""Code": "\#($0)", "LastUpdated": "2015-08-30T11:36:00Z", "Type": "AWS-HMAC", "# } ?? ""
    return #"{\#(codeField)"AccessKeyId": "\#(keyID)", "SecretAccessKey": "\#(secret)", "Token": "\#(token)", "Expiration": "\#(expiration)"}"#
}
