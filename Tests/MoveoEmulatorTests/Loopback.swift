import Foundation
import Hummingbird
import NIOConcurrencyHelpers
import Testing

/// Test peers on this machine: a Hummingbird server on a free loopback port, and child processes run off the cooperative pool.
enum Loopback {
    /// Serves `router` on 127.0.0.1 while `body` runs with its base URL; `released` is set before the server stops, so
    /// handlers that wait for the test to end (a "slow" peer) return at once.
    static func serve(_ router: Router<BasicRequestContext>, released: NIOLockedValueBox<Bool>? = nil,
                      _ body: @Sendable (String) async throws -> Void) async throws {
        let port = NIOLockedValueBox<Int?>(nil)
        let application = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                                      onServerRunning: { channel in port.withLockedValue { $0 = channel.localAddress?.port } })
        let server = Task { try await application.run() }
        defer {
            released?.withLockedValue { $0 = true }
            server.cancel()
        }
        // Waits for the listening event; the bound (60 s) only stops a test whose server never starts.
        for _ in 0..<6000 where port.withLockedValue({ $0 }) == nil { try await Task.sleep(for: .milliseconds(10)) }
        try await body("http://127.0.0.1:\(try #require(port.withLockedValue { $0 }))")
    }

    /// Runs `executable` with `arguments` to its end on a GCD thread; returns its exit status and its output (stdout and stderr).
    /// `environment` is added to this process's; `folder` is the working directory (default: this process's).
    static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:], folder: URL? = nil) async throws -> (Int32, String) {
        try await RawConnection.onThread {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
            if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
            if let folder { process.currentDirectoryURL = folder }
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = pipe
            try Process.launch(process)
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (process.terminationStatus, String(decoding: data, as: UTF8.self))
        }
    }
}
