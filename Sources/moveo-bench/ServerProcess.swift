import Foundation
import NIOConcurrencyHelpers

/// The real `moveo-emulator serve` binary as a child process: its port, start-up time, CPU and memory.
final class ServerProcess: @unchecked Sendable {
    let process = Process()
    let port: Int
    let startup: Double
    private let output: NIOLockedValueBox<String>

    /// Starts `binary serve --port 0 …` and waits for its `listening on` line.
    init(binary: String, arguments: [String], workingDirectory: String) throws {
        let buffer = NIOLockedValueBox("")
        let pipe = Pipe()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["serve", "--port", "0"] + arguments
        process.currentDirectoryURL = URL(fileURLWithPath: workingDirectory)
        process.standardOutput = pipe
        process.standardError = pipe
        pipe.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            guard !data.isEmpty else { return }
            buffer.withLockedValue { text in
                if text.count < 100_000 { text += String(decoding: data, as: UTF8.self) }
            }
        }
        let start = ContinuousClock.now
        try process.run()
        var port: Int?
        while port == nil {
            if !process.isRunning { throw BenchError.serverFailed(buffer.withLockedValue { $0 }) }
            port = buffer.withLockedValue { text in
                guard let range = text.firstRange(of: "listening on http://") else { return nil }
                let rest = text[range.upperBound...]
                guard let colon = rest.firstIndex(of: ":"), let end = rest[colon...].firstIndex(of: "\n") else { return nil }
                return Int(rest[rest.index(after: colon)..<end])
            }
            if port == nil { usleep(200) }
        }
        self.startup = Measure.seconds(ContinuousClock.now - start)
        self.port = port!
        self.output = buffer
    }

    var pid: Int32 { process.processIdentifier }
    var cpuSeconds: Double { Measure.processCPU(pid) }
    var residentMiB: Double { Measure.residentMiB(pid) }

    /// SIGTERM, then waits for the exit.
    func stop() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }
}

enum BenchError: Error, CustomStringConvertible {
    case serverFailed(String)
    case missingBinary(String)
    case requestFailed(String)

    var description: String {
        switch self {
        case .serverFailed(let output): "the server exited before listening:\n\(output)"
        case .missingBinary(let path): "no server binary at \(path): build it first with `swift build -c release`"
        case .requestFailed(let what): "a request failed: \(what)"
        }
    }
}
