/// CONTRACT §3 step 7: unwraps `encryption_key` and `init_vector` with the platform key, then decrypts `context`.
///
/// Each claim is handled completely before the next (§8): `encryption_key`, `init_vector`, `context`.
/// Near misses (§3.8) are diagnosed always and accepted only when `compat` is set.
public struct ContextDecryptor: Sendable {
    /// The largest plaintext accepted, in bytes.
    public static let maxPlaintextBytes = 65_536

    /// The platform private keys, current first.
    public var platformKeys: [RSAPrivateKey]
    /// Accept near misses.
    public var compat: Bool

    /// A decrypted context.
    public struct Decrypted: Sendable {
        /// The JSON object.
        public var value: JSONValue
        /// `AES-128-CBC` or `AES-256-CBC`.
        public var cipher: String
        /// The plaintext's length in bytes.
        public var plaintextLength: Int
        /// Lowercase hex SHA-256 of the AES key that decrypted it (a fingerprint for the signer lint; never the key).
        public var keyDigest: String = ""
        /// Lowercase hex SHA-256 of the IV.
        public var ivDigest: String = ""
    }

    /// Creates a decryptor.
    public init(platformKeys: [RSAPrivateKey], compat: Bool) {
        self.platformKeys = platformKeys
        self.compat = compat
    }

    /// Decrypts the context the payload carries, or returns nil when it carries none of the three claims.
    public func decrypt(claimsOf payload: JSONValue, warnings: inout [String]) throws(AuthError) -> Decrypted? {
        let names = ["context", "encryption_key", "init_vector"]
        let present = names.filter { payload[$0] != nil }
        if present.isEmpty { return nil }
        guard present.count == names.count else {
            let missing = names.filter { payload[$0] == nil }
            throw AuthError(.contextIncomplete, "the token carries \(present.joined(separator: ", ")) but not \(missing.joined(separator: ", "))",
                            claim: missing.first, hint: "send context, encryption_key and init_vector together, or none of them")
        }
        var texts: [String: String] = [:]
        for name in names {
            guard let text = payload[name]?.stringValue else {
                throw AuthError(.contextIncomplete, "\(name) is a \(payload[name]!.typeName); it must be a base64 string", claim: name)
            }
            texts[name] = text
        }
        let key = try unwrap(texts["encryption_key"]!, claim: "encryption_key", validLengths: [16, 32], warnings: &warnings)
        let iv = try unwrap(texts["init_vector"]!, claim: "init_vector", validLengths: [16], warnings: &warnings)
        return try decryptContext(texts["context"]!, key: key, iv: iv, warnings: &warnings)
    }

    // MARK: - encryption_key and init_vector

    private func unwrap(_ text: String, claim: String, validLengths: Set<Int>, warnings: inout [String]) throws(AuthError) -> [UInt8] {
        let ciphertext = try decodeBase64(text, claim: claim, code: .contextKeyUnwrapFailed, warnings: &warnings)
        let plain = try oaepUnwrap(ciphertext, claim: claim, warnings: &warnings)
        return try checkUnwrapped(plain, claim: claim, validLengths: validLengths, warnings: &warnings)
    }

    /// The steps after RSA unwrapping, on key and IV bytes given directly: for the fuzz targets, which
    /// reach the length checks, AES and JSON millions of times without paying two RSA private operations each.
    @_spi(Fuzzing) public func decrypt(context text: String, unwrappedKey: [UInt8], unwrappedIV: [UInt8],
                                       warnings: inout [String]) throws(AuthError) -> Decrypted {
        let key = try checkUnwrapped(unwrappedKey, claim: "encryption_key", validLengths: [16, 32], warnings: &warnings)
        let iv = try checkUnwrapped(unwrappedIV, claim: "init_vector", validLengths: [16], warnings: &warnings)
        return try decryptContext(text, key: key, iv: iv, warnings: &warnings)
    }

    private func checkUnwrapped(_ plain: [UInt8], claim: String, validLengths: Set<Int>, warnings: inout [String]) throws(AuthError) -> [UInt8] {
        if validLengths.contains(plain.count) { return plain }
        let invalid: AuthErrorCode = claim == "init_vector" ? .contextIVInvalid : .contextKeyInvalid
        let what = claim == "init_vector" ? "IV" : "key"
        if plain.count == 24 || plain.count == 44, let text = String(validating: plain, as: UTF8.self),
           let inner = Base64.decode(text, alphabet: .standard, padding: .optional), validLengths.contains(inner.count) {
            let hint = "\(claim) holds the base64 text of the \(what) (\(plain.count) characters), not its raw \(inner.count) bytes: RSA-encrypt the bytes themselves"
            guard compat else {
                throw AuthError(invalid, "the unwrapped \(what) is \(plain.count) bytes", claim: claim, hint: hint)
            }
            warnings.append(hint)
            return inner
        }
        let expected = claim == "init_vector" ? "16 bytes" : "16 bytes (AES-128) or 32 bytes (AES-256)"
        var hint: String? = nil
        if plain.count == 2 * (validLengths.max() ?? 0) || plain.count == 2 * (validLengths.min() ?? 0),
           plain.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) || (0x41...0x46).contains($0) }) {
            hint = "the \(what) looks hex-encoded: RSA-encrypt the raw bytes"
        } else if claim == "encryption_key", plain.count == 24 {
            hint = "AES-192 is not supported: use a 32-byte key (AES-256-CBC) or a 16-byte key (AES-128-CBC)"
        }
        throw AuthError(invalid, "the unwrapped \(what) is \(plain.count) bytes; it must be \(expected)", claim: claim, hint: hint)
    }

    private func oaepUnwrap(_ ciphertext: [UInt8], claim: String, warnings: inout [String]) throws(AuthError) -> [UInt8] {
        guard !platformKeys.isEmpty else {
            throw AuthError(.contextKeyUnwrapFailed, "the integration has no platform key to decrypt \(claim)", claim: claim)
        }
        for key in platformKeys {
            if let plain = key.oaepDecrypt(ciphertext, variant: .sha256MGF1SHA256) { return plain }
        }
        for variant in OAEPVariant.nearMisses {
            for key in platformKeys {
                guard let plain = key.oaepDecrypt(ciphertext, variant: variant) else { continue }
                let hint = "\(claim) was encrypted with \(variant.rawValue)\(Self.origin(of: variant)); the platform uses OAEP SHA-256 with MGF1-SHA-256 (node-rsa: environment 'browser', hash 'sha256')"
                guard compat else {
                    throw AuthError(.contextKeyUnwrapFailed, "\(claim) does not decrypt with OAEP SHA-256/MGF1-SHA-256", claim: claim, hint: hint)
                }
                warnings.append(hint)
                return plain
            }
        }
        let sizes = Set(platformKeys.map(\.modulusBytes))
        let hint: String
        if !sizes.contains(ciphertext.count) {
            hint = "\(claim) is \(ciphertext.count) bytes, but a ciphertext under this integration's platform key is \(sizes.sorted().map(String.init).joined(separator: "/")) bytes: it was encrypted for another key — use the platform public key of this integration"
        } else {
            hint = "it was encrypted for another key (or damaged): encrypt with this integration's platform public key (GET /v1/admin/integrations/{id}, platform_key.public_key_pem)"
        }
        throw AuthError(.contextKeyUnwrapFailed, "\(claim) does not decrypt with the integration's platform private key", claim: claim, hint: hint)
    }

    private static func origin(of variant: OAEPVariant) -> String {
        switch variant {
        case .sha1MGF1SHA1: " (node-rsa in its default 'node' environment ignores hash: 'sha256')"
        case .sha256MGF1SHA1: " (Java's OAEPWithSHA-256AndMGF1Padding uses MGF1-SHA-1)"
        case .sha256MGF1SHA256: ""
        }
    }

    // MARK: - context

    private func decryptContext(_ text: String, key: [UInt8], iv: [UInt8], warnings: inout [String]) throws(AuthError) -> Decrypted {
        let ciphertext = try decodeBase64(text, claim: "context", code: .contextDecryptFailed, warnings: &warnings)
        let plaintext: [UInt8]
        do {
            plaintext = try AESCBC.decrypt(ciphertext, key: key, iv: iv)
        } catch {
            switch error {
            case .notWholeBlocks(let count):
                throw AuthError(.contextDecryptFailed, "context is \(count) bytes, not a whole number of 16-byte AES blocks", claim: "context",
                                hint: "base64-encode the whole AES-CBC ciphertext, PKCS#7 padding included")
            default:
                throw AuthError(.contextDecryptFailed, "context does not decrypt: its padding is wrong", claim: "context",
                                hint: "encrypt with AES-\(key.count * 8)-CBC, PKCS#7 padding, and exactly the key and IV you RSA-encrypted")
            }
        }
        guard plaintext.count <= Self.maxPlaintextBytes else {
            throw AuthError(.contextTooLarge, "the context is \(plaintext.count) bytes; at most \(Self.maxPlaintextBytes) are allowed", claim: "context")
        }
        let value: JSONValue
        do {
            value = try JSONParser.parse(plaintext)
        } catch {
            throw AuthError(.contextNotJSON, "the decrypted context \(error)", claim: "context")
        }
        guard case .object = value else {
            var hint: String? = "the context must be a JSON object: JSON.stringify({ user: { … } })"
            if let inner = value.stringValue, let parsed = try? JSONParser.parse(Array(inner.utf8)), parsed.objectMembers != nil {
                hint = "the context was JSON-encoded twice: encrypt JSON.stringify(context) once"
            }
            throw AuthError(.contextNotJSON, "the decrypted context is a JSON \(value.typeName), not an object", claim: "context", hint: hint)
        }
        return Decrypted(value: value, cipher: "AES-\(key.count * 8)-CBC", plaintextLength: plaintext.count,
                         keyDigest: Digest.hex(Digest.sha256(key)), ivDigest: Digest.hex(Digest.sha256(iv)))
    }

    // MARK: - base64

    private func decodeBase64(_ text: String, claim: String, code: AuthErrorCode, warnings: inout [String]) throws(AuthError) -> [UInt8] {
        if let bytes = Base64.decode(text, alphabet: .standard, padding: .optional), !bytes.isEmpty { return bytes }
        if let bytes = Base64.decode(text, alphabet: .url, padding: .optional), !bytes.isEmpty {
            let hint = "\(claim) is base64url (- and _); the platform expects standard base64 (+ and /)"
            guard compat else { throw AuthError(code, "\(claim) is not base64", claim: claim, hint: hint) }
            warnings.append(hint)
            return bytes
        }
        var hint: String? = nil
        if text.contains(where: \.isWhitespace) {
            hint = "remove the line breaks and spaces from \(claim) (base64 -w0, or openssl base64 -A)"
        } else if text.isEmpty {
            hint = "\(claim) is empty"
        }
        throw AuthError(code, "\(claim) is not base64", claim: claim, hint: hint)
    }
}
