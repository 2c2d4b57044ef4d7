import ArgumentParser
import Foundation
import MoveoAuth

/// `moveo-emulator webhook verify|sign`: check your receiver's signature code against ours.
struct Webhook: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Sign and verify webhook bodies (X-Moveo-Signature).", subcommands: [Verify.self, Sign.self])

    /// The signature of `body` under `secret`: lowercase hex HMAC-SHA256.
    static func signature(_ body: Data, secret: String) -> String {
        Digest.hex(Digest.hmacSHA256(key: Array(secret.utf8), message: Array(body)))
    }

    /// `webhook verify --secret S --signature SIG --body FILE`: exit 0 when it holds, 1 when not.
    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Check an X-Moveo-Signature over the exact body bytes; exit 1 when it does not hold.")
        @Option(help: "The webhook secret.") var secret: String
        @Option(help: "The X-Moveo-Signature value (hex).") var signature: String
        @Option(help: "The body file, byte for byte as received (- for standard input).") var body: String

        func run() throws {
            let data = try FileArgument.data(body, option: "--body")
            let expected = Webhook.signature(data, secret: secret)
            if Digest.constantTimeEquals(expected, signature.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()) {
                print("valid: HMAC-SHA256 over \(data.count) bytes matches")
            } else {
                print("invalid: HMAC-SHA256 over \(data.count) bytes is \(expected)")
                throw ExitCode(1)
            }
        }
    }

    /// `webhook sign --secret S --body FILE`: prints the signature.
    struct Sign: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the X-Moveo-Signature of a body.")
        @Option(help: "The webhook secret.") var secret: String
        @Option(help: "The body file (- for standard input).") var body: String

        func run() throws {
            let data = try FileArgument.data(body, option: "--body")
            print(Webhook.signature(data, secret: secret))
        }
    }
}
