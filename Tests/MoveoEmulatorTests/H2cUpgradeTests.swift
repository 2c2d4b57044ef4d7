import Foundation
import MoveoAuth
@testable import MoveoEmulator
import Testing

/// CONTRACT §9: clients that offer `Upgrade: h2c` on plain HTTP (Java's HttpClient, `curl --http2`) are served HTTP/1.1
/// and keep their connection.
@Suite("h2c upgrade offers")
struct H2cUpgradeTests {
    /// The JDK 17 HttpClient's request head for a POST with a body (its exact header set and order).
    static func jdkRequest(path: String, body: String) -> (head: String, body: String) {
        let head = "POST \(path) HTTP/1.1\r\n"
            + "Connection: Upgrade, HTTP2-Settings\r\n"
            + "Content-Length: \(body.utf8.count)\r\n"
            + "Host: 127.0.0.1\r\n"
            + "HTTP2-Settings: AAEAAEAAAAIAAAABAAMAAABkAAQBAAAAAAUAAEAA\r\n"
            + "Upgrade: h2c\r\n"
            + "User-Agent: Java-http-client/17.0.15\r\n"
            + "Content-Type: application/json\r\n\r\n"
        return (head, body)
    }

    @Test("the JDK client's exact bytes twice on one connection (body in a separate write) get two HTTP/1.1 answers")
    func rawSocket() async throws {
        try await TestEmulator.withLiveServer { base in
            let port = Int(base.split(separator: ":").last!)!
            let token = try TestEmulator.signer.identityToken(issuer: "acme", subject: "java-user", now: Date().timeIntervalSince1970, ttl: 120,
                                                              context: nil)
            let answers = try await RawConnection.onThread {
                let connection = try RawConnection(port: port)
                defer { connection.close() }
                let first = Self.jdkRequest(path: "/v1/webchat/demo/sessions", body: #"{"identity_token":"\#(token)"}"#)
                try connection.send(first.head)
                try connection.send(first.body)
                let session = try connection.readResponse()
                let id = session.body.firstRange(of: "s_").map { String(session.body[$0.lowerBound...].prefix { $0 != "\"" }) } ?? "none"
                let second = Self.jdkRequest(path: "/v1/webchat/sessions/\(id)/messages", body: #"{"text":"hello over h2c-offering HTTP/1.1"}"#)
                try connection.send(second.head)
                try connection.send(second.body)
                let message = try connection.readResponse()
                try connection.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n")
                let health = try connection.readResponse()
                return [session, message, health]
            }
            #expect(answers.map(\.statusLine) == ["HTTP/1.1 201 Created", "HTTP/1.1 201 Created", "HTTP/1.1 200 OK"])
            #expect(answers[1].body.contains("hello over h2c-offering HTTP/1.1"))
            #expect(answers[2].body == #"{"status":"ok"}"#)
        }
    }

    /// The `java` launcher, if the JDK is installed (it is on our machines and CI's).
    static let java: String? = ["/usr/bin/java", "/usr/local/bin/java"].first { FileManager.default.isExecutableFile(atPath: $0) }
        ?? ProcessInfo.processInfo.environment["JAVA_HOME"].map { $0 + "/bin/java" }.flatMap { FileManager.default.isExecutableFile(atPath: $0) ? $0 : nil }

    @Test("a single-file Java client with HttpClient.newHttpClient() creates a session and sends a message",
          .enabled(if: java != nil, "no java on this machine (apt-get install openjdk-17-jdk-headless); Java client test skipped"))
    func javaClient() async throws {
        try await TestEmulator.withLiveServer { base in
            let token = try TestEmulator.signer.identityToken(issuer: "acme", subject: "java-user", now: Date().timeIntervalSince1970, ttl: 240,
                                                              context: TestEmulator.sampleContext)
            let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Java/H2cClient.java").path
            let (status, output) = try await Loopback.run(Self.java!, [source, base, token])
            print("java client: \(output)")
            #expect(status == 0)
            #expect(output.contains("session 201 HTTP_1_1") && output.contains("message 201 HTTP_1_1"))
        }
    }
}

/// A blocking TCP connection for tests that need exact bytes on the wire; run it off the cooperative pool.
final class RawConnection {
    struct Answer: Sendable {
        var statusLine: String
        var headers: [String: String]
        var body: String
    }

    struct Failure: Error, CustomStringConvertible { let description: String }

    private let descriptor: Int32
    private var pending: [UInt8] = []

    /// Connects to 127.0.0.1:`port`; reads give up after `timeout` seconds (a hang fails the test instead of stalling it).
    init(port: Int, timeout: Int = 60) throws {
        guard let descriptor = Self.connect(port: port) else { throw Failure(description: "connect() failed") }
        self.descriptor = descriptor
        var limit = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
    }

    /// A blocking TCP connection to 127.0.0.1:`port`, or nil.
    static func connect(port: Int) -> Int32? {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return nil }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else { Glibc.close(descriptor); return nil }
        return descriptor
    }

    /// Runs blocking work on a GCD thread.
    static func onThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
        }
    }

    /// Writes `text` in one write.
    func send(_ text: String) throws {
        let bytes = Array(text.utf8)
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard count > 0 else { throw Failure(description: "send() failed") }
            sent += count
        }
    }

    private func fill() throws {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { throw Failure(description: count == 0 ? "the server closed the connection" : "no answer (read timed out)") }
        pending += buffer[..<count]
    }

    /// Reads one HTTP/1.1 response with a Content-Length body.
    func readResponse() throws -> Answer {
        let separator: [UInt8] = [13, 10, 13, 10]
        var end: Int?
        while end == nil {
            end = pending.count >= 4 ? (0...(pending.count - 4)).first { Array(pending[$0..<($0 + 4)]) == separator } : nil
            if end == nil { try fill() }
        }
        let head = String(decoding: pending[..<end!], as: UTF8.self).components(separatedBy: "\r\n")
        pending.removeFirst(end! + 4)
        var headers: [String: String] = [:]
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let length = Int(headers["content-length"] ?? "0") ?? 0
        while pending.count < length { try fill() }
        let body = String(decoding: pending[..<length], as: UTF8.self)
        pending.removeFirst(length)
        return Answer(statusLine: head[0], headers: headers, body: body)
    }

    /// Blocks until the peer closes the connection (true), or the read limit passes or bytes arrive (false).
    func waitForClose() -> Bool {
        var buffer = [UInt8](repeating: 0, count: 1024)
        let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
        return count == 0 || (count < 0 && errno == ECONNRESET)
    }

    /// Whether the peer has closed the connection, without waiting.
    func isClosed() -> Bool {
        var buffer = [UInt8](repeating: 0, count: 1024)
        let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
        return count == 0 || (count < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
    }

    /// Closes the socket.
    func close() { Glibc.close(descriptor) }
}
