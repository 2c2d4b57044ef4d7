/// The documented customer recipe, as a reference: AES-CBC over the context JSON, OAEP-SHA-256 of key and IV
/// under the platform public key, RS256 with the customer's private key.
public struct TokenSigner: Sendable {
    /// The customer's private key.
    public var signingKey: RSAPrivateKey
    /// The integration's platform public key (needed only for a context).
    public var platformKey: RSAPublicKey?

    /// Creates a signer.
    public init(signingKey: RSAPrivateKey, platformKey: RSAPublicKey? = nil) {
        self.signingKey = signingKey
        self.platformKey = platformKey
    }

    /// The three context claims for `contextJSON`: random 32-byte key and 16-byte IV unless given.
    public static func encryptContext(
        _ contextJSON: [UInt8], platformKey: RSAPublicKey, key: [UInt8] = Digest.randomBytes(32), iv: [UInt8] = Digest.randomBytes(16),
        variant: OAEPVariant = .sha256MGF1SHA256
    ) throws -> [(String, JSONValue)] {
        let ciphertext = try AESCBC.encrypt(contextJSON, key: key, iv: iv)
        return [
            ("context", .string(Base64.encode(ciphertext))),
            ("encryption_key", .string(Base64.encode(try platformKey.oaepEncrypt(key, variant: variant)))),
            ("init_vector", .string(Base64.encode(try platformKey.oaepEncrypt(iv, variant: variant)))),
        ]
    }

    /// Signs `claims` (a JSON object's members) as a compact JWS with header `{"alg":"RS256","typ":"JWT"}` plus `extraHeader`.
    public func sign(claims: [(String, JSONValue)], extraHeader: [(String, JSONValue)] = []) throws -> String {
        let header = JSONValue.object([("alg", .string("RS256")), ("typ", .string("JWT"))] + extraHeader)
        return try signRaw(header: Array(JSONWriter.string(header).utf8), payload: Array(JSONWriter.string(.object(claims)).utf8))
    }

    /// Signs arbitrary header and payload bytes (tests craft broken tokens with it).
    public func signRaw(header: [UInt8], payload: [UInt8]) throws -> String {
        let signingInput = Base64.urlEncode(header) + "." + Base64.urlEncode(payload)
        return signingInput + "." + Base64.urlEncode(try signingKey.signRS256(Array(signingInput.utf8)))
    }

    /// An identity token: `iss`, `sub`, `iat` = now, `exp` = now + ttl, and the encrypted context when one is given.
    public func identityToken(issuer: String, subject: String, now: Double, ttl: Double, context: JSONValue? = nil) throws -> String {
        let issuedAt = now.rounded(.down)
        var claims: [(String, JSONValue)] = [
            ("iss", .string(issuer)),
            ("sub", .string(subject)),
            ("iat", .number(String(Int(issuedAt)))),
            ("exp", .number(String(Int(issuedAt + ttl)))),
        ]
        if let context {
            guard let platformKey else { throw AuthError(.contextKeyUnwrapFailed, "a context needs the platform public key") }
            claims += try Self.encryptContext(Array(JSONWriter.string(context).utf8), platformKey: platformKey)
        }
        return try sign(claims: claims)
    }
}
