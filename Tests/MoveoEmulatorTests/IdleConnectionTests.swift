import AsyncHTTPClient
import Foundation
import Testing

/// Thousands of idle connections neither crash the server nor stop it answering.
@Suite("Idle connections")
struct IdleConnectionTests {
    /// Opens a TCP connection to 127.0.0.1:`port` and leaves it idle; returns the descriptor.
    static func openIdle(port: Int) -> Int32? { RawConnection.connect(port: port) }

    /// A child process (python3) that opens `count` idle connections and holds them until its standard input closes.
    ///
    /// Not in this process: with ~2,000 descriptors open here, any test's `Process.run()` could crash it — Foundation
    /// on Linux (Swift 6.3.1) over-reads glibc's `/proc/self/fd` directory buffer once the listing fills it
    /// (swift-corelibs-foundation PR #5472); CI saw that SIGSEGV while this test held its connections.
    static func holdIdle(_ count: Int, port: Int) throws -> (process: Process, input: Pipe, opened: Int) {
        let script = """
            import resource, socket, sys
            soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
            resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, \(count) + 64)), hard))
            held = []
            for _ in range(\(count)):
                try: held.append(socket.create_connection(("127.0.0.1", \(port))))
                except OSError: break
            print(len(held), flush=True)
            sys.stdin.read()
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try Process.launch(process)
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        let opened = Int(String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        return (process, input, opened)
    }

    @Test("2,000 idle connections to the real binary, then a request still gets its answer")
    func thousandsIdle() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("moveo-idle-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let server = try EmulatorBinary(["--db", folder.appendingPathComponent("idle.sqlite").path, "--admin-token", "x"])
        defer { server.stop() }
        let port = server.port
        let holder = try await RawConnection.onThread { try Self.holdIdle(2000, port: port) }
        defer {
            try? holder.input.fileHandleForWriting.close()
            holder.process.waitUntilExit()
        }
        #expect(holder.opened == 2000)
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
