import AsyncHTTPClient
import Foundation
import Testing

/// Thousands of idle connections neither crash the server nor stop it answering.
@Suite("Idle connections")
struct IdleConnectionTests {
    /// Opens a TCP connection to 127.0.0.1:`port` and leaves it idle; returns the descriptor.
    static func openIdle(port: Int) -> Int32? { RawConnection.connect(port: port) }

    /// Opens `count` idle connections on a GCD thread (never on the cooperative pool, which the server may share).
    static func openMany(_ count: Int, port: Int) async -> [Int32] {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(returning: (0..<count).compactMap { _ in openIdle(port: port) })
            }
        }
    }

    @Test("2,000 idle connections to the real binary, then a request still gets its answer")
    func thousandsIdle() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("moveo-idle-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let server = try EmulatorBinary(["--db", folder.appendingPathComponent("idle.sqlite").path, "--admin-token", "x"])
        defer { server.stop() }
        let descriptors = await Self.openMany(2000, port: server.port)
        defer { descriptors.forEach { close($0) } }
        #expect(descriptors.count == 2000)
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        let answer = try? await client.get(server.base + "/health")
        try await client.shutdown()
        #expect(answer?.0 == 200 && answer?.1 == #"{"status":"ok"}"#)
        #expect(server.process.isRunning)
    }

    @Test("--idle-timeout closes a connection that sends nothing, and one trickling its headers a byte at a time")
    func idleTimeout() async throws {
        var configuration = TestEmulator.configuration()
        configuration.idleTimeout = 1
        configuration.fixedNow = nil
        try await TestEmulator.withLiveServer(configuration) { base in
            let port = Int(base.split(separator: ":").last!)!
            let closed = try await RawConnection.onThread { () throws -> (silent: Bool, trickle: Bool) in
                // Silent: the server hangs up (recv sees the end) long before the 60 s read limit.
                let silent = try RawConnection(port: port)
                defer { silent.close() }
                let silentClosed = silent.waitForClose()
                // Trickle: one header byte every 200 ms never completes a request; it is closed all the same.
                let trickle = try RawConnection(port: port)
                defer { trickle.close() }
                var trickleClosed = false
                for byte in "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + String(repeating: "a", count: 300) {
                    if (try? trickle.send(String(byte))) == nil || trickle.isClosed() { trickleClosed = true; break }
                    usleep(200_000)
                }
                return (silentClosed, trickleClosed)
            }
            #expect(closed.silent, "an idle connection was closed")
            #expect(closed.trickle, "a connection trickling its headers was closed")
        }
    }
}
