import MoveoAuth

/// Crafts tokens that break exactly one rule, at a fixed clock.
struct TokenFactory {
    static let now: Double = 1_800_000_000
    let signer = TokenSigner(signingKey: Fixtures.customerPrivate, platformKey: Fixtures.platformPrivate.publicKey)

    /// A keyring with the fixture customer key and platform key.
    static var keyring: IntegrationKeyring {
        IntegrationKeyring(customerKeys: [.init(Fixtures.customerPrivate.publicKey)], platformKeys: [Fixtures.platformPrivate])
    }

    /// Verifies at the fixed clock.
    static func verify(_ token: String?, keyring: IntegrationKeyring = keyring, leeway: Double = 0, compat: Bool = false) -> VerificationReport {
        TokenVerifier(keyring: keyring, policy: VerificationPolicy(now: now, leeway: leeway, compat: compat)).verify(token)
    }

    /// Valid base claims: iss, sub, exp 10 s ahead.
    static func claims(exp: Double = now + 10) -> [(String, JSONValue)] {
        [("iss", .string("acme-backend")), ("sub", .string("user-42")), ("exp", .number(String(Int(exp))))]
    }

    /// Signs header and payload given as JSON text.
    func raw(header: String = #"{"alg":"RS256","typ":"JWT"}"#, payload: String) throws -> String {
        try signer.signRaw(header: Array(header.utf8), payload: Array(payload.utf8))
    }

    /// Signs claims with the standard header.
    func token(_ claims: [(String, JSONValue)]) throws -> String {
        try signer.sign(claims: claims)
    }

    /// The three context claims, with control over every ingredient.
    static func contextClaims(
        json: String = #"{"user":{"is_vip":true}}"#, key: [UInt8] = Array(repeating: 7, count: 32), iv: [UInt8] = Array(repeating: 9, count: 16),
        wrappedKey: [UInt8]? = nil, wrappedIV: [UInt8]? = nil, variant: OAEPVariant = .sha256MGF1SHA256,
        platform: RSAPublicKey = Fixtures.platformPrivate.publicKey
    ) throws -> [(String, JSONValue)] {
        let ciphertext = try AESCBC.encrypt(Array(json.utf8), key: key, iv: iv)
        return [
            ("context", .string(Base64.encode(ciphertext))),
            ("encryption_key", .string(Base64.encode(try platform.oaepEncrypt(wrappedKey ?? key, variant: variant)))),
            ("init_vector", .string(Base64.encode(try platform.oaepEncrypt(wrappedIV ?? iv, variant: variant)))),
        ]
    }
}

extension VerificationReport {
    /// The refusal's code, or nil when accepted.
    var code: AuthErrorCode? { error?.code }
}
