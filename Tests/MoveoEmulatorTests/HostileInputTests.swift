import Foundation
import MoveoAuth
import MoveoEmulator
import Testing

/// Hostile tokens and bodies through the HTTP API: each gets its exact code and changes nothing.
@Suite("Hostile inputs")
struct HostileInputTests {
    static let now = TestEmulator.now
    static let signer = TestEmulator.signer
    static let attacker = try! RSAPrivateKey(generatingBits: 2048)

    static func b64(_ text: String) -> String { Base64.urlEncode(Array(text.utf8)) }
    static func claims(exp: String = String(Int(now) + 10), extra: String = "") -> String {
        #"{"iss":"acme","sub":"user-1","exp":\#(exp)\#(extra)}"#
    }
    static func signed(header: String = #"{"alg":"RS256"}"#, payload: String = claims()) throws -> String {
        try signer.signRaw(header: Array(header.utf8), payload: Array(payload.utf8))
    }
    static func unsigned(header: String, payload: String = claims(), signature: String = "") -> String {
        b64(header) + "." + b64(payload) + "." + signature
    }

    /// HMAC-SHA256 with the integration's public key PEM as the secret: the classic alg-confusion forgery.
    static func hs256Forgery() -> String {
        let input = b64(#"{"alg":"HS256","typ":"JWT"}"#) + "." + b64(claims())
        let secret = Array(TestEmulator.text("customer_public.pem").utf8)
        return input + "." + Base64.urlEncode(hmacSHA256(key: secret, message: Array(input.utf8)))
    }

    static func hmacSHA256(key: [UInt8], message: [UInt8]) -> [UInt8] {
        var block = key.count > 64 ? Digest.sha256(key) : key
        block += Array(repeating: 0, count: 64 - block.count)
        let inner = Digest.sha256(block.map { $0 ^ 0x36 } + message)
        return Digest.sha256(block.map { $0 ^ 0x5C } + inner)
    }

    static func cases() throws -> [(String, String, String)] {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        let attackerJWK = JSONWriter.string(attacker.publicKey.jwk)
        let attackerSigned = { (header: String) throws -> String in
            try TokenSigner(signingKey: attacker).signRaw(header: Array(header.utf8), payload: Array(claims().utf8))
        }
        let good = try signed()
        let parts = good.split(separator: ".").map(String.init)
        return [
            ("two alg members", try signed(header: #"{"alg":"RS256","alg":"none"}"#), "token_malformed"),
            ("two sub members", try signed(payload: #"{"iss":"a","sub":"x","sub":"y","exp":\#(Int(now) + 10)}"#), "token_malformed"),
            ("alg none, empty signature", unsigned(header: #"{"alg":"none"}"#), "alg_not_allowed"),
            ("alg None", unsigned(header: #"{"alg":"None"}"#, signature: parts[2]), "alg_not_allowed"),
            ("HS256 keyed with the public key", hs256Forgery(), "alg_not_allowed"),
            ("alg RS256 with a space", try signed(header: #"{"alg":"RS256 "}"#), "alg_not_allowed"),
            ("no alg", try signed(header: #"{"typ":"JWT"}"#), "alg_not_allowed"),
            ("embedded jwk of the attacker", try attackerSigned(#"{"alg":"RS256","jwk":\#(attackerJWK)}"#), "signature_invalid"),
            ("jku elsewhere", try attackerSigned(#"{"alg":"RS256","jku":"http://127.0.0.1:1/keys"}"#), "signature_invalid"),
            ("x5u and x5c", try attackerSigned(#"{"alg":"RS256","x5u":"http://127.0.0.1:1/c","x5c":["MIIB"]}"#), "signature_invalid"),
            ("kid with SQL, signed by the attacker", try attackerSigned(#"{"alg":"RS256","kid":"x' OR '1'='1"}"#), "signature_invalid"),
            ("null signature bytes", parts[0] + "." + parts[1] + "." + Base64.urlEncode(Array(repeating: 0, count: 256)), "signature_invalid"),
            ("signature of another payload", parts[0] + "." + b64(claims(extra: #","admin":true"#)) + "." + parts[2], "signature_invalid"),
            ("exp 1e309", try signed(payload: claims(exp: "1e309")), "claim_invalid"),
            ("exp NaN", try signed(payload: claims(exp: "NaN")), "token_malformed"),
            ("exp negative", try signed(payload: claims(exp: "-1")), "token_expired"),
            ("exp a string", try signed(payload: claims(exp: #""1800000010""#)), "claim_invalid"),
            ("exp a huge integer", try signed(payload: claims(exp: String(repeating: "9", count: 400))), "claim_invalid"),
            ("exp 10^30", try signed(payload: claims(exp: "1" + String(repeating: "0", count: 30))), "exp_too_far"),
            ("sub of 10 KB", try signed(payload: #"{"iss":"a","sub":"\#(String(repeating: "x", count: 10_240))","exp":\#(Int(now) + 10)}"#), "claim_invalid"),
            ("payload not UTF-8", try signer.signRaw(header: Array(#"{"alg":"RS256"}"#.utf8), payload: [0x7B, 0xFF, 0xFE, 0x7D]), "token_malformed"),
            ("header nested 10,000 deep", unsigned(header: deep), "token_malformed"),
            ("payload nested 10,000 deep", try signed(payload: deep), "token_malformed"),
            ("padding in a part", parts[0] + "==." + parts[1] + "." + parts[2], "token_malformed"),
            ("whitespace in a part", parts[0] + "\n." + parts[1] + "." + parts[2], "token_malformed"),
            ("invalid characters", parts[0] + "." + parts[1] + "*." + parts[2], "token_malformed"),
        ]
    }

    @Test("forged and malformed tokens get their exact code and create nothing")
    func tokens() async throws {
        let cases = try Self.cases()
        try await TestEmulator.run { client in
            for (name, token, code) in cases {
                let inBody = try await client.createSession(token)
                #expect(inBody.code == code, "\(name): \(inBody.raw.prefix(300))")
                let inHeader = try await client.call(.post, "/v1/webchat/demo/sessions", headers: [.authorization: "Bearer \(token)"])
                #expect(inHeader.code == code, "\(name) (Authorization header)")
            }
            #expect(try await client.call(.get, "/v1/admin/sessions", admin: true).json["sessions"] == .array([]))
        }
    }

    @Test("a kid with path traversal or SQL text on a genuine signature is accepted like any unknown kid")
    func oddKid() async throws {
        try await TestEmulator.run { client in
            for kid in ["../../../etc/passwd", "'; DROP TABLE sessions; --", "\u{0}"] {
                let token = try TestEmulator.signer.sign(claims: [("iss", .string("a")), ("sub", .string("b")),
                                                                   ("exp", .number(String(Int(Self.now) + 10)))], extraHeader: [("kid", .string(kid))])
                #expect(try await client.createSession(token).status == .created)
            }
            #expect(try await client.call(.get, "/v1/admin/sessions", admin: true).json["sessions"]?.arrayValues.count == 3)
        }
    }

    @Test("sub with NUL is claim_invalid (SQLite would truncate it); non-ASCII is kept exactly")
    func oddSub() async throws {
        try await TestEmulator.run { client in
            let nul = try await client.createSession(try TestEmulator.token(sub: "a\u{0}b"))
            #expect(nul.code == "claim_invalid" && nul.json["claim"] == .string("sub"))
            let sub = "a\tb — ünï 😀 \u{7F}"
            let created = try await client.createSession(try TestEmulator.token(sub: sub))
            #expect(created.json["external_id"] == .string(sub))
            let id = created.json["session_id"]!.stringValue!
            #expect(try await client.call(.get, "/v1/admin/sessions/\(id)", admin: true).json["external_id"] == .string(sub))
        }
    }

    @Test("RSA ciphertexts of the wrong length, zero, or at least the modulus are context_key_unwrap_failed")
    func badCiphertexts() async throws {
        let modulus = TestEmulator.platformPublicKey.modulus
        let base = try TokenSigner.encryptContext(Array("{}".utf8), platformKey: TestEmulator.platformPublicKey)
        let variants: [[UInt8]] = [Array(repeating: 1, count: 255), Array(repeating: 0, count: 256), modulus,
                                   Array(repeating: 0xFF, count: 256), Array(repeating: 1, count: 512), [1]]
        try await TestEmulator.run { client in
            for ciphertext in variants {
                var claims = base
                claims[1].1 = .string(Base64.encode(ciphertext))
                claims += [("iss", .string("a")), ("sub", .string("b")), ("exp", .number(String(Int(Self.now) + 10)))]
                let reply = try await client.createSession(try TestEmulator.signer.sign(claims: claims))
                #expect(reply.status == .unprocessableContent && reply.code == "context_key_unwrap_failed")
            }
        }
    }

    @Test("a context nested 10,000 deep is context_not_json; 64 levels is the edge")
    func deepContext() async throws {
        @Sendable func nested(_ depth: Int) -> String { String(repeating: #"{"a":"#, count: depth) + "1" + String(repeating: "}", count: depth) }
        try await TestEmulator.run { client in
            for (depth, code) in [(10_000, "context_not_json"), (65, "context_not_json"), (64, nil as String?)] {
                var claims = try TokenSigner.encryptContext(Array(nested(depth).utf8), platformKey: TestEmulator.platformPublicKey)
                claims += [("iss", .string("a")), ("sub", .string("b")), ("exp", .number(String(Int(Self.now) + 10)))]
                let reply = try await client.createSession(try TestEmulator.signer.sign(claims: claims))
                #expect(reply.code == code, "depth \(depth)")
            }
        }
    }

    @Test("request bodies: nested 10,000 deep and duplicate members are invalid_request")
    func hostileBodies() async throws {
        try await TestEmulator.run { client in
            let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
            let replies = [
                try await client.call(.post, "/v1/webchat/demo/sessions", deep),
                try await client.call(.post, "/v1/admin/integrations", #"{"name":"a","name":"b"}"#, admin: true),
                try await client.call(.post, "/v1/webchat/demo/sessions", "\u{FEFF}{}"),
            ]
            #expect(replies.map(\.code) == ["invalid_request", "invalid_request", "invalid_request"])
        }
    }
}
