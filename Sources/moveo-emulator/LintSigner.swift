import ArgumentParser
import Foundation
import MoveoEmulator

/// `moveo-emulator lint-signer`: what a token endpoint's tokens get wrong that Moveo would still accept (CONTRACT §15).
struct LintSigner: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint-signer",
        abstract: "Fetch tokens from your token endpoint, check them with a running emulator, print one line per finding.",
        discussion: "Exit 0: no finding. Exit 1: findings. Exit 2: the lint could not run (endpoint or emulator unreachable, an error status, no token).")

    @Option(help: "Your backend's token endpoint (GET): a JSON body with token or identity_token, or the token as plain text.") var url: String
    @Option(help: "How many tokens to fetch.") var count = 20
    @Option(name: .customLong("header"), help: "An extra request header for the endpoint, \"Name: value\" (repeatable).") var headers: [String] = []
    @Option(help: "The running emulator's base URL.") var emulator = "http://127.0.0.1:8080"
    @Option(name: .customLong("admin-token"), help: "The emulator's admin token (default: env MOVEO_EMULATOR_ADMIN_TOKEN).") var adminToken: String?
    @Option(help: "The integration the tokens are for.") var integration: String
    @Option(help: "Seconds one request may take.") var timeout: Double = 10

    func validate() throws {
        guard (1...10_000).contains(count) else { throw ValidationError("--count must be 1 to 10,000") }
        guard timeout > 0 else { throw ValidationError("--timeout must be positive") }
        for header in headers where !header.contains(":") { throw ValidationError("--header must be \"Name: value\", not \(header)") }
    }

    func run() async throws {
        guard let admin = adminToken ?? ProcessInfo.processInfo.environment["MOVEO_EMULATOR_ADMIN_TOKEN"] else {
            throw ValidationError("--admin-token is required (or MOVEO_EMULATOR_ADMIN_TOKEN)")
        }
        let pairs = headers.map { header -> (String, String) in
            let colon = header.firstIndex(of: ":")!
            return (header[..<colon].trimmingCharacters(in: .whitespaces), header[header.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        let lint = SignerLintRun(url: url, count: count, headers: pairs, emulator: emulator, adminToken: admin, integration: integration, timeout: timeout)
        do {
            let (tokens, findings) = try await lint.run()
            for finding in findings { print("\(finding.code) (\(finding.count) of \(tokens) tokens): \(finding.detail)") }
            print(findings.isEmpty ? "\(tokens) tokens checked: no finding" : "\(tokens) tokens checked: \(findings.count) finding(s)")
            if !findings.isEmpty { throw ExitCode(1) }
        } catch let failure as SignerLintRun.Failure {
            print("lint-signer could not run: \(failure.description)")
            throw ExitCode(2)
        }
    }
}
