import ArgumentParser
import Foundation
import MoveoAuth

extension Token {
    /// `token sign`: the documented recipe, exactly.
    struct Sign: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Sign an identity token (RS256), optionally with an encrypted context.",
            discussion: """
            With --context: a random 32-byte key and 16-byte IV, AES-256-CBC over the JSON, the key and IV \
            encrypted with RSA-OAEP SHA-256 (MGF1-SHA-256) under --platform-key, all base64.
            """
        )

        @Option(help: "The customer's private key (PEM, PKCS#8 or PKCS#1).")
        var key: String

        @Option(help: "The iss claim.")
        var iss: String

        @Option(help: "The sub claim (the user's external id).")
        var sub: String

        @Option(help: "Lifetime: 10s, 500ms, 2m (at most 300 s is accepted by default).")
        var ttl: String = "10s"

        @Option(help: "A JSON file holding the context object to encrypt.")
        var context: String?

        @Option(name: .customLong("platform-key"), help: "The integration's platform public key (PEM), needed with --context.")
        var platformKey: String?

        func validate() throws {
            guard Token.seconds(ttl) != nil else { throw ValidationError("--ttl must look like 10s, 500ms or 2m") }
            if context != nil, platformKey == nil { throw ValidationError("--context needs --platform-key") }
        }

        func run() throws {
            let signingKey = try RSAPrivateKey(pem: try Token.read(key, option: "--key"))
            var platform: RSAPublicKey?
            if let platformKey { platform = try RSAPublicKey(importing: try Token.read(platformKey, option: "--platform-key")) }
            var contextValue: JSONValue?
            if let context {
                let text = try Token.read(context, option: "--context")
                guard let value = try? JSONParser.parse(Array(text.utf8)), value.objectMembers != nil else {
                    throw ValidationError("--context: \(context) is not a JSON object")
                }
                contextValue = value
            }
            let signer = TokenSigner(signingKey: signingKey, platformKey: platform)
            print(try signer.identityToken(issuer: iss, subject: sub, now: Date().timeIntervalSince1970, ttl: Token.seconds(ttl)!, context: contextValue))
        }
    }
}
