import ArgumentParser
import Foundation
import MoveoAuth

extension Token {
    /// `token inspect`: every check of CONTRACT §3, one line each, offline.
    struct Inspect: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a token offline, one line per check; exit 1 when it would be refused."
        )

        @Argument(help: "The identity token.")
        var token: String

        @Option(name: .customLong("public-key"), help: "The customer public key to verify with (PEM or JWK).")
        var publicKey: String?

        @Option(name: .customLong("platform-private-key"), help: "The platform private key, to decrypt the context.")
        var platformPrivateKey: String?

        @Option(help: "Judge at this time (ISO 8601) instead of now.")
        var now: String?

        @Option(help: "Clock-skew allowance, seconds.")
        var leeway: Double = 0

        @Option(name: .customLong("max-token-lifetime"), help: "The exp ceiling, seconds ahead of now.")
        var maxTokenLifetime: Double = VerificationPolicy.defaultMaxLifetime

        @Flag(help: "Accept the near misses of CONTRACT §3.8 (they are still reported).")
        var compat = false

        func run() throws {
            var keyring = IntegrationKeyring(customerKeys: [], platformKeys: [])
            if let publicKey { keyring.customerKeys = [.init(try RSAPublicKey(importing: try Token.read(publicKey, option: "--public-key")))] }
            if let platformPrivateKey {
                keyring.platformKeys = [try RSAPrivateKey(pem: try Token.read(platformPrivateKey, option: "--platform-private-key"))]
            }
            var clock = Date().timeIntervalSince1970
            if let now {
                guard let date = ISO8601DateFormatter().date(from: now) else { throw ValidationError("--now must be ISO 8601, e.g. 2026-01-01T00:00:00Z") }
                clock = date.timeIntervalSince1970
            }
            let policy = VerificationPolicy(now: clock, leeway: leeway, maxLifetime: maxTokenLifetime, compat: compat)
            let report = TokenVerifier(keyring: keyring, policy: policy).verify(token)
            for check in report.checks {
                let mark = check.ok.map { $0 ? "pass" : "FAIL" } ?? " -- "
                print("[\(mark)] \(check.step.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)) \(check.detail)")
            }
            for warning in report.warnings { print("warning: \(warning)") }
            if publicKey == nil, let header = report.header {
                print("header: \(JSONWriter.string(header))")
                if let payload = try? JSONParser.parse(CompactJWS(parsing: token).payload) {
                    print("payload (signature not checked: no --public-key): \(JSONWriter.string(payload))")
                }
            }
            switch report.result {
            case .success(let verified):
                print("accepted: iss \(verified.issuer), sub \(verified.subject)")
                if let context = verified.contextJSON { print("context: \(context)") }
            case .failure(let error):
                print("refused: \(error.code.rawValue)" + (error.claim.map { " (claim \($0))" } ?? ""))
                throw ExitCode(1)
            }
        }
    }
}
