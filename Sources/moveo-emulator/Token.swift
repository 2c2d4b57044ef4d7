import ArgumentParser
import Foundation
import MoveoAuth

/// `moveo-emulator token …`: the reference signer and the offline inspector.
struct Token: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Sign and inspect identity tokens.", subcommands: [Sign.self, Inspect.self])

    /// Reads a file (`-` for standard input, pipes too) or throws a validation error naming it.
    static func read(_ path: String, option: String) throws -> String {
        try FileArgument.text(path, option: option)
    }

    /// Parses `10s`, `500ms`, `5m` or a bare number of seconds.
    static func seconds(_ text: String) -> Double? {
        if text.hasSuffix("ms"), let value = Double(text.dropLast(2)) { return value / 1000 }
        if text.hasSuffix("s"), let value = Double(text.dropLast()) { return value }
        if text.hasSuffix("m"), let value = Double(text.dropLast()) { return value * 60 }
        return Double(text)
    }
}
