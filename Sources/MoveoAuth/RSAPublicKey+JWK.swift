// MARK: - JWK (RFC 7517, RFC 7518 §6.3) and thumbprint (RFC 7638)

extension RSAPublicKey {
    /// The public JWK: `{"kty":"RSA","n","e","kid","use":"sig","alg":"RS256"}`.
    public var jwk: JSONValue {
        .object([
            ("kty", .string("RSA")),
            ("n", .string(Base64.urlEncode(modulus))),
            ("e", .string(Base64.urlEncode(exponent))),
            ("kid", .string(thumbprint)),
            ("use", .string("sig")),
            ("alg", .string("RS256")),
        ])
    }

    /// The RFC 7638 SHA-256 thumbprint, base64url: the `kid` this emulator gives the key.
    public var thumbprint: String {
        let canonical = "{\"e\":\"\(Base64.urlEncode(exponent))\",\"kty\":\"RSA\",\"n\":\"\(Base64.urlEncode(modulus))\"}"
        return Base64.urlEncode(Digest.sha256(Array(canonical.utf8)))
    }

    /// Reads a public JWK object, enforcing the CONTRACT §8 rules on `use`, `alg` and `key_ops`.
    public convenience init(jwk members: [(String, JSONValue)]) throws(AuthError) {
        let object = JSONValue.object(members)
        let privateMembers = ["d", "p", "q", "dp", "dq", "qi", "oth"].filter { object[$0] != nil }
        if !privateMembers.isEmpty {
            throw AuthError(.privateKeyNotAllowed, "the JWK carries private members (\(privateMembers.joined(separator: ", "))); it was not stored",
                            hint: "send only the public members kty, n and e")
        }
        guard object["kty"]?.stringValue == "RSA" else {
            throw AuthError(.keyInvalid, "the JWK's kty is not \"RSA\"", hint: "customer keys are RSA keys for RS256")
        }
        if let use = object["use"], use.stringValue != "sig" {
            throw AuthError(.keyInvalid, "the JWK's use is not \"sig\"", hint: "a signing key has \"use\":\"sig\" (or no use)")
        }
        if let alg = object["alg"], alg.stringValue != "RS256" {
            throw AuthError(.keyInvalid, "the JWK's alg is not \"RS256\"", hint: "identity tokens are RS256; set \"alg\":\"RS256\" or leave it out")
        }
        if let operations = object["key_ops"] {
            guard case .array(let list) = operations, list.contains(.string("verify")) else {
                throw AuthError(.keyInvalid, "the JWK's key_ops does not include \"verify\"", hint: "add \"verify\" to key_ops or leave key_ops out")
            }
        }
        guard let n = object["n"]?.stringValue, let modulus = Base64.decode(n, alphabet: .url, padding: .optional), !modulus.isEmpty,
              let e = object["e"]?.stringValue, let exponent = Base64.decode(e, alphabet: .url, padding: .optional), !exponent.isEmpty
        else {
            throw AuthError(.keyInvalid, "the JWK's n and e are not base64url numbers")
        }
        try self.init(modulus: modulus, exponent: exponent)
    }
}
