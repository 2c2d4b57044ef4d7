// MARK: - Reading a customer's public key in any accepted format

extension RSAPublicKey {
    /// Reads a public key given as text: PEM SPKI, PEM PKCS#1, or a JWK as JSON text (CONTRACT §5, §8).
    public convenience init(importing text: String) throws(AuthError) {
        var normalized = text
        if !normalized.contains("\n"), normalized.contains("\\n") {
            normalized = normalized.replacingAll("\\n", with: "\n")
        }
        let trimmed = normalized.drop { $0.isWhitespace }
        if trimmed.first == "{" {
            guard let value = try? JSONParser.parse(Array(trimmed.utf8)), let members = value.objectMembers else {
                throw AuthError(.keyInvalid, "the key looks like a JWK but is not a JSON object")
            }
            try self.init(jwk: members)
            return
        }
        if normalized.contains("PRIVATE KEY-----") {
            throw AuthError(.privateKeyNotAllowed, "a private key was given where the public key belongs; it was not stored",
                            hint: "keep the private key on your backend and send its public half: openssl rsa -in private.pem -pubout")
        }
        guard let pem = PEM(parsing: normalized) else {
            throw AuthError(.keyInvalid, "the key is neither a PEM block nor a JWK",
                            hint: "send the text from -----BEGIN PUBLIC KEY----- to -----END PUBLIC KEY----- inclusive")
        }
        switch pem.label {
        case "PUBLIC KEY": try self.init(spkiDER: pem.der)
        case "RSA PUBLIC KEY": try self.init(pkcs1DER: pem.der)
        case "CERTIFICATE":
            throw AuthError(.keyInvalid, "a certificate was given where a public key belongs",
                            hint: "extract its key: openssl x509 -in cert.pem -pubkey -noout")
        default:
            throw AuthError(.keyInvalid, "a PEM block labelled \"\(JSONWriter.truncated(pem.label))\" is not a public key")
        }
    }

    /// Reads a public key given as a JSON value: a PEM or JWK string, or a JWK object.
    public convenience init(importing value: JSONValue) throws(AuthError) {
        switch value {
        case .string(let text): try self.init(importing: text)
        case .object(let members): try self.init(jwk: members)
        default: throw AuthError(.keyInvalid, "public_key must be a PEM string or a JWK object, not \(value.typeName)")
        }
    }
}

extension String {
    /// The string with every `target` replaced by `replacement` (Foundation-free).
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var output = ""
        var rest = self[...]
        while let range = rest.firstRange(of: target) {
            output += rest[..<range.lowerBound]
            output += replacement
            rest = rest[range.upperBound...]
        }
        return output + rest
    }
}
