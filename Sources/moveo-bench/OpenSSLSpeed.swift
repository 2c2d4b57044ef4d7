import Foundation

/// `openssl speed -seconds 1 rsa2048`, the reference the issue names, run in the same session.
struct OpenSSLSpeed {
    var signPerSecond: Double
    var verifyPerSecond: Double

    static func run() -> OpenSSLSpeed? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl", "speed", "-seconds", "1", "rsa2048"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return nil }
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        // "rsa 2048 bits 0.000850s 0.000025s   1176.5  40000.0"
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("rsa 2048 bits") }) else { return nil }
        let numbers = line.split(separator: " ").compactMap { Double($0) }
        guard numbers.count >= 3 else { return nil }
        return OpenSSLSpeed(signPerSecond: numbers[numbers.count - 2], verifyPerSecond: numbers[numbers.count - 1])
    }
}
