import AsyncHTTPClient
import Foundation
import MoveoAuth
import NIOConcurrencyHelpers
import NIOCore
import Testing

/// The built `moveo-emulator` executable run as a child process, its output captured.
final class EmulatorBinary: @unchecked Sendable {
    /// The executable beside the test bundle (`swift test` builds every product of the package).
    static let path: String = {
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        var folder = bundle
        for _ in 0..<4 {
            let candidate = folder.appendingPathComponent("moveo-emulator").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        return bundle.appendingPathComponent("moveo-emulator").path
    }()

    let process = Process()
    let output = NIOLockedValueBox("")
    private(set) var port = 0

    /// Starts `serve --port 0 arguments…` and waits for `listening on`.
    init(_ arguments: [String]) throws {
        let pipe = Pipe()
        process.executableURL = URL(fileURLWithPath: Self.path)
        process.arguments = ["serve", "--port", "0"] + arguments
        process.currentDirectoryURL = TestEmulator.root
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = pipe
        process.standardError = pipe
        let output = self.output
        pipe.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            if !data.isEmpty { output.withLockedValue { $0 += String(decoding: data, as: UTF8.self) } }
        }
        try Process.launch(process)
        Self.register(process.processIdentifier)
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            let text = output.withLockedValue { $0 }
            if let range = text.firstRange(of: "listening on http://127.0.0.1:") {
                port = Int(text[range.upperBound...].prefix { $0.isNumber }) ?? 0
                return
            }
            if !process.isRunning { break }
            usleep(20_000)
        }
        throw BinaryError.didNotStart(output.withLockedValue { $0 })
    }

    var base: String { "http://127.0.0.1:\(port)" }

    /// Children still alive when the test process exits are killed, so none keeps `swift test`'s output pipe open.
    private static let children = NIOLockedValueBox<Set<Int32>>([])
    private static let installExitHandler: Void = {
        atexit {
            for pid in EmulatorBinary.children.withLockedValue({ $0 }) { kill(pid, SIGKILL) }
        }
    }()

    private static func register(_ pid: Int32) {
        _ = installExitHandler
        children.withLockedValue { _ = $0.insert(pid) }
    }

    /// Sends `signal` and waits for the exit; returns the exit status.
    @discardableResult
    func stop(_ signal: Int32 = SIGTERM) -> Int32 {
        if process.isRunning { kill(process.processIdentifier, signal) }
        process.waitUntilExit()
        usleep(50_000)
        return process.terminationStatus
    }

    enum BinaryError: Error { case didNotStart(String) }
}

extension HTTPClient {
    /// POSTs JSON and returns the status and body text.
    func post(_ url: String, _ body: String, headers: [(String, String)] = []) async throws -> (Int, String) {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(string: body))
        let response = try await execute(request, timeout: .seconds(30))
        let bytes = try await response.body.collect(upTo: 4 << 20)
        return (Int(response.status.code), String(buffer: bytes))
    }

    /// GETs and returns the status and body text.
    func get(_ url: String, headers: [(String, String)] = []) async throws -> (Int, String) {
        var request = HTTPClientRequest(url: url)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        let response = try await execute(request, timeout: .seconds(30))
        let bytes = try await response.body.collect(upTo: 4 << 20)
        return (Int(response.status.code), String(buffer: bytes))
    }
}

extension Process {
    private static let launchLock = NSLock()

    /// Starts `process`, one launch at a time. Foundation's `Process.run()` on Linux (Swift 6.3.1) over-reads glibc's
    /// `/proc/self/fd` directory buffer once about 1,000 descriptors are open (swift-corelibs-foundation PR #5472): keep
    /// this test process's descriptors well under that (IdleConnectionTests holds its 2,000 sockets in a child).
    static func launch(_ process: Process) throws {
        try launchLock.withLock { try process.run() }
    }
}
