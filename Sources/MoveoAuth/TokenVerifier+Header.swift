// MARK: - Steps 3 and 4: the header's alg and crit, then the signature (RFC 7515 §5.2, RFC 7518 §3.3)

extension TokenVerifier.Run {
    /// Refuses any `alg` but exactly `RS256`, then any `crit`.
    static func checkAlgorithm(_ header: JSONValue) throws(AuthError) {
        guard let alg = header["alg"] else {
            throw AuthError(.algNotAllowed, "the header has no alg", hint: "sign with RS256: the header must say \"alg\":\"RS256\"")
        }
        guard let name = alg.stringValue else {
            throw AuthError(.algNotAllowed, "the header's alg is a \(alg.typeName), not the string \"RS256\"")
        }
        guard name == "RS256" else {
            throw AuthError(.algNotAllowed, "alg \"\(JSONWriter.truncated(name))\" is not allowed; only RS256 is", hint: hint(forAlg: name))
        }
        if header["crit"] != nil {
            throw AuthError(.headerUnsupported, "the header carries crit, which the platform does not support",
                            hint: "remove crit from the header")
        }
    }

    private static func hint(forAlg name: String) -> String {
        let trimmed = String(name.unicodeScalars.filter { !$0.properties.isWhitespace })
        if trimmed == "RS256" { return "remove the whitespace around RS256" }
        if name.uppercased() == "RS256" { return "alg is case-sensitive: write RS256" }
        if name.lowercased() == "none" { return "unsigned tokens are never accepted: sign with your RSA private key (RS256)" }
        if name.uppercased().hasPrefix("HS") { return "HMAC tokens are refused: sign with your RSA private key (algorithm: 'RS256')" }
        if ["RS384", "RS512", "PS256", "PS384", "PS512"].contains(name.uppercased()) {
            return "the platform accepts RS256 only: sign with SHA-256 and PKCS#1 v1.5 (algorithm: 'RS256')"
        }
        return "sign with RS256 (RSASSA-PKCS1-v1_5 with SHA-256)"
    }

    /// Verifies the signature under the key `kid` selects, else under every customer key; returns the key's kid.
    static func checkSignature(_ jws: CompactJWS, keyring: IntegrationKeyring) throws(AuthError) -> String {
        guard !keyring.customerKeys.isEmpty else {
            throw AuthError(.noCustomerKey, "the integration has no customer public key to verify with",
                            hint: "upload your public key: PUT /v1/admin/integrations/{id}/public-key")
        }
        let kid = jws.header["kid"]?.stringValue
        let selected = keyring.customerKeys.filter { $0.kid == kid }
        let candidates = selected.isEmpty ? keyring.customerKeys : selected
        for candidate in candidates where candidate.key.verifyRS256(signature: jws.signature, message: jws.signingInput) {
            return candidate.kid
        }
        let tried = keyring.customerKeys.count == 1 ? "the integration's customer key" : "any of the integration's \(keyring.customerKeys.count) customer keys"
        throw AuthError(.signatureInvalid, "the RS256 signature does not verify under \(tried)",
                        hint: signatureHint(jws, keyring: keyring, kid: kid, kidMatched: !selected.isEmpty))
    }

    private static func signatureHint(_ jws: CompactJWS, keyring: IntegrationKeyring, kid: String?, kidMatched: Bool) -> String {
        for platform in keyring.platformKeys where platform.publicKey.verifyRS256(signature: jws.signature, message: jws.signingInput) {
            return "the token was signed with the integration's platform key; sign with your own private key, whose public key you uploaded"
        }
        let sizes = Set(keyring.customerKeys.map(\.key.modulusBytes))
        if !sizes.contains(jws.signature.count) {
            return "the signature is \(jws.signature.count) bytes, but the integration's keys make \(sizes.sorted().map(String.init).joined(separator: "/"))-byte signatures: it was made with another key"
        }
        if kidMatched {
            return "kid selects one key of this integration and the signature does not verify under it: sign with that key's private half, or drop kid"
        }
        if let kid {
            return "kid \"\(JSONWriter.truncated(kid))\" names no key of this integration: sign with the private key whose public key you uploaded"
        }
        return "sign with the private key whose public key is registered for this integration, over exactly B64(header).B64(payload)"
    }
}
