import CMoveoOpenSSL

/// An RSA private key: a platform key (OAEP decryption) or a customer key in the CLI and tests (RS256 signing).
public final class RSAPrivateKey: Sendable {
    let key: OpenSSLKey
    /// The public half, derived once (deriving it re-encodes and re-parses the key through OpenSSL's decoders).
    public let publicKey: RSAPublicKey

    /// The modulus sizes a platform key may have.
    public static let allowedBits = [2048, 3072, 4096]

    /// Generates a fresh key with public exponent 65537.
    public init(generatingBits bits: Int) throws {
        guard let pointer = CMoveoOpenSSL_EVP_RSA_gen(UInt32(bits)) else { throw CryptoError("RSA key generation") }
        key = OpenSSLKey(taking: pointer)
        publicKey = Self.publicHalf(of: key)
    }

    /// Reads a PEM private key: PKCS#8 (`BEGIN PRIVATE KEY`) or PKCS#1 (`BEGIN RSA PRIVATE KEY`); encrypted PEM is refused.
    public init(pem text: String) throws(AuthError) {
        guard let pem = PEM(parsing: text) else {
            throw AuthError(.keyInvalid, "the text is not a PEM private key")
        }
        guard pem.label == "PRIVATE KEY" || pem.label == "RSA PRIVATE KEY" else {
            throw AuthError(.keyInvalid, "a PEM block labelled \"\(JSONWriter.truncated(pem.label))\" is not an unencrypted RSA private key")
        }
        let parsed = RSAPublicKey.decodeWhole(pem.der) { cursor, length in d2i_AutoPrivateKey(nil, &cursor, length) }
        _ = CryptoError.drainQueue()
        guard let parsed else { throw AuthError(.keyInvalid, "the PEM private key is not readable") }
        let key = OpenSSLKey(taking: parsed)
        guard key.isRSA else { throw AuthError(.keyInvalid, "the private key is not an RSA key") }
        self.key = key
        publicKey = Self.publicHalf(of: key)
    }

    /// The modulus size in bits.
    public var bits: Int { key.bits }

    /// The modulus size in bytes: the length of every OAEP ciphertext this key decrypts.
    public var modulusBytes: Int { key.modulusBytes }

    private static func publicHalf(of key: OpenSSLKey) -> RSAPublicKey {
        var output: UnsafeMutablePointer<UInt8>?
        let length = i2d_PUBKEY(key.pointer, &output)
        precondition(length > 0 && output != nil, "an RSA private key always has a public half")
        defer { CMoveoOpenSSL_OPENSSL_free(output) }
        let der = Array(UnsafeBufferPointer(start: output, count: Int(length)))
        let pointer = RSAPublicKey.decodeWhole(der) { cursor, length in d2i_PUBKEY(nil, &cursor, length) }
        return RSAPublicKey(key: OpenSSLKey(taking: pointer!))
    }

    /// PEM PKCS#8 `BEGIN PRIVATE KEY`, unencrypted (what `openssl genpkey` writes).
    public var pkcs8PEM: String {
        let bytes = OpenSSLKey.withMemoryBIO { bio in
            PEM_write_bio_PrivateKey(bio, key.pointer, nil, nil, 0, nil, nil) == 1
        }
        return String(decoding: bytes ?? [], as: UTF8.self)
    }

    /// Signs `message` with RS256 (RSASSA-PKCS1-v1_5, SHA-256).
    public func signRS256<Message: Collection<UInt8>>(_ message: Message) throws -> [UInt8] {
        guard let context = EVP_MD_CTX_new() else { throw CryptoError("EVP_MD_CTX_new") }
        defer { EVP_MD_CTX_free(context) }
        let bytes = Array(message)
        guard EVP_DigestSignInit(context, nil, FetchedAlgorithms.sha256, nil, key.pointer) == 1 else { throw CryptoError("RS256 sign init") }
        var length = 0
        guard EVP_DigestSign(context, nil, &length, bytes, bytes.count) == 1 else { throw CryptoError("RS256 sign size") }
        var signature = [UInt8](repeating: 0, count: length)
        guard EVP_DigestSign(context, &signature, &length, bytes, bytes.count) == 1 else { throw CryptoError("RS256 sign") }
        return Array(signature.prefix(length))
    }

    /// Decrypts an RSA-OAEP ciphertext with the empty label; nil when it does not decrypt under this key and variant.
    public func oaepDecrypt(_ ciphertext: [UInt8], variant: OAEPVariant) -> [UInt8]? {
        guard ciphertext.count == key.modulusBytes, let context = EVP_PKEY_CTX_new(key.pointer, nil) else { return nil }
        defer { EVP_PKEY_CTX_free(context) }
        guard EVP_PKEY_decrypt_init(context) == 1, variant.configure(context) else {
            _ = CryptoError.drainQueue()
            return nil
        }
        var length = ciphertext.count
        var output = [UInt8](repeating: 0, count: length)
        guard EVP_PKEY_decrypt(context, &output, &length, ciphertext, ciphertext.count) == 1 else {
            _ = CryptoError.drainQueue()
            return nil
        }
        return Array(output.prefix(length))
    }
}
