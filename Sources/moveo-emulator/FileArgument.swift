import ArgumentParser
import Foundation

/// A file named on the command line (CONTRACT §14): a path, `-` for standard input, or a pipe such as a process
/// substitution's `/dev/fd/63` — read by opening and reading to the end, never by its size.
enum FileArgument {
    /// Whether standard input was consumed by an earlier `-` (it can be read once).
    nonisolated(unsafe) private static var standardInputRead = false

    /// The bytes of `path`, or a validation error naming `option` and the path.
    static func data(_ path: String, option: String) throws -> Data {
        if path == "-" {
            guard !standardInputRead else { throw ValidationError("\(option): standard input (-) was already read by another option") }
            standardInputRead = true
            return FileHandle.standardInput.readDataToEndOfFile()
        }
        guard let handle = FileHandle(forReadingAtPath: path) else { throw ValidationError("\(option): cannot read \(path)") }
        defer { try? handle.close() }
        do {
            return try handle.readToEnd() ?? Data()
        } catch {
            throw ValidationError("\(option): cannot read \(path) (\(error.localizedDescription))")
        }
    }

    /// The text of `path` (UTF-8).
    static func text(_ path: String, option: String) throws -> String {
        String(decoding: try data(path, option: option), as: UTF8.self)
    }
}
