import CMoveoOpenSSL

/// A failure inside OpenSSL, with its error queue drained into text for logs (never for clients).
public struct CryptoError: Error, Sendable, CustomStringConvertible {
    /// The operation that failed.
    public var operation: String
    /// OpenSSL's error queue at the failure.
    public var openSSLErrors: [String]

    /// Captures and clears the thread's OpenSSL error queue.
    init(_ operation: String) {
        self.operation = operation
        self.openSSLErrors = CryptoError.drainQueue()
    }

    /// `operation failed: errors`.
    public var description: String {
        openSSLErrors.isEmpty ? "\(operation) failed" : "\(operation) failed: \(openSSLErrors.joined(separator: "; "))"
    }

    /// Empties the OpenSSL error queue of this thread and returns its lines.
    static func drainQueue() -> [String] {
        var lines: [String] = []
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            lines.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return lines
    }
}
