import CMoveoOpenSSL

/// An RSA public key: a customer's signing key or the public half of a platform key.
public final class RSAPublicKey: Sendable {
    let key: OpenSSLKey

    /// The smallest modulus accepted for a customer key.
    public static let minimumBits = 2048

    init(key: OpenSSLKey) {
        self.key = key
    }

    /// Reads a DER SubjectPublicKeyInfo (`BEGIN PUBLIC KEY`).
    public convenience init(spkiDER der: [UInt8]) throws(AuthError) {
        let parsed = Self.decodeWhole(der) { cursor, length in d2i_PUBKEY(nil, &cursor, length) }
        try self.init(checking: parsed, format: "SubjectPublicKeyInfo")
    }

    /// Reads a DER PKCS#1 RSAPublicKey (`BEGIN RSA PUBLIC KEY`).
    public convenience init(pkcs1DER der: [UInt8]) throws(AuthError) {
        let parsed = Self.decodeWhole(der) { cursor, length in d2i_PublicKey(CMoveoOpenSSL_EVP_PKEY_RSA(), nil, &cursor, length) }
        try self.init(checking: parsed, format: "PKCS#1 RSAPublicKey")
    }

    /// Runs an OpenSSL `d2i_*` decoder and keeps its key only when it consumed every byte.
    static func decodeWhole(
        _ der: [UInt8], _ decode: (inout UnsafePointer<UInt8>?, Int) -> OpaquePointer?
    ) -> OpaquePointer? {
        der.withUnsafeBufferPointer { buffer -> OpaquePointer? in
            guard let start = buffer.baseAddress else { return nil }
            var cursor: UnsafePointer<UInt8>? = start
            guard let key = decode(&cursor, buffer.count) else { return nil }
            guard cursor == start + buffer.count else {
                EVP_PKEY_free(key)
                return nil
            }
            return key
        }
    }

    /// Builds a key from its modulus and public exponent (big-endian, unsigned).
    public convenience init(modulus: [UInt8], exponent: [UInt8]) throws(AuthError) {
        guard let builder = OSSL_PARAM_BLD_new() else { throw AuthError(.keyInvalid, "the key could not be built") }
        defer { OSSL_PARAM_BLD_free(builder) }
        let n = modulus.withUnsafeBufferPointer { BN_bin2bn($0.baseAddress, Int32($0.count), nil) }
        let e = exponent.withUnsafeBufferPointer { BN_bin2bn($0.baseAddress, Int32($0.count), nil) }
        defer { BN_free(n); BN_free(e) }
        var pkey: OpaquePointer?
        if let n, let e, OSSL_PARAM_BLD_push_BN(builder, Self.paramN, n) == 1, OSSL_PARAM_BLD_push_BN(builder, Self.paramE, e) == 1,
           let params = OSSL_PARAM_BLD_to_param(builder) {
            defer { OSSL_PARAM_free(params) }
            if let context = EVP_PKEY_CTX_new_from_name(nil, "RSA", nil) {
                defer { EVP_PKEY_CTX_free(context) }
                if EVP_PKEY_fromdata_init(context) == 1 {
                    _ = EVP_PKEY_fromdata(context, &pkey, CMoveoOpenSSL_EVP_PKEY_PUBLIC_KEY(), params)
                }
            }
        }
        try self.init(checking: pkey, format: "JWK")
    }

    /// Parameter names with static storage: `OSSL_PARAM_BLD` keeps the pointer until `to_param`.
    private static var paramN: UnsafePointer<CChar> { UnsafeRawPointer(StaticString("n").utf8Start).assumingMemoryBound(to: CChar.self) }
    private static var paramE: UnsafePointer<CChar> { UnsafeRawPointer(StaticString("e").utf8Start).assumingMemoryBound(to: CChar.self) }

    private init(checking pointer: OpaquePointer?, format: String) throws(AuthError) {
        _ = CryptoError.drainQueue()
        guard let pointer else { throw AuthError(.keyInvalid, "the key is not a readable \(format)") }
        let key = OpenSSLKey(taking: pointer)
        guard key.isRSA else { throw AuthError(.keyInvalid, "the key is not an RSA key", hint: "use an RSA key (RS256)") }
        guard key.bits >= Self.minimumBits else {
            throw AuthError(.keyTooSmall, "the RSA modulus has \(key.bits) bits; at least \(Self.minimumBits) are required",
                            hint: "generate a 2048-bit key or larger: openssl genrsa -out private.pem 2048")
        }
        self.key = key
    }

    /// The modulus size in bits.
    public var bits: Int { key.bits }

    /// The modulus size in bytes: the length of every RS256 signature and OAEP ciphertext under this key.
    public var modulusBytes: Int { key.modulusBytes }

    /// The modulus `n`, unsigned big-endian.
    public var modulus: [UInt8] { key.bigNumber("n") ?? [] }

    /// The public exponent `e`, unsigned big-endian.
    public var exponent: [UInt8] { key.bigNumber("e") ?? [] }

    /// The DER SubjectPublicKeyInfo.
    public var spkiDER: [UInt8] {
        var output: UnsafeMutablePointer<UInt8>?
        let length = i2d_PUBKEY(key.pointer, &output)
        guard length > 0, let output else { return [] }
        defer { CMoveoOpenSSL_OPENSSL_free(output) }
        return Array(UnsafeBufferPointer(start: output, count: Int(length)))
    }

    /// The DER PKCS#1 RSAPublicKey.
    public var pkcs1DER: [UInt8] {
        var output: UnsafeMutablePointer<UInt8>?
        let length = i2d_PublicKey(key.pointer, &output)
        guard length > 0, let output else { return [] }
        defer { CMoveoOpenSSL_OPENSSL_free(output) }
        return Array(UnsafeBufferPointer(start: output, count: Int(length)))
    }

    /// PEM `BEGIN PUBLIC KEY` (SubjectPublicKeyInfo).
    public var spkiPEM: String { PEM(label: "PUBLIC KEY", der: spkiDER).text }

    /// PEM `BEGIN RSA PUBLIC KEY` (PKCS#1), what the platform's settings page shows.
    public var pkcs1PEM: String { PEM(label: "RSA PUBLIC KEY", der: pkcs1DER).text }

    /// Lowercase hex SHA-256 of the DER SubjectPublicKeyInfo.
    public var fingerprintSHA256: String { Digest.hex(Digest.sha256(spkiDER)) }

    /// Verifies an RS256 signature (RSASSA-PKCS1-v1_5 with SHA-256, RFC 7518 §3.3) over `message`.
    public func verifyRS256<Message: Collection<UInt8>>(signature: [UInt8], message: Message) -> Bool {
        guard signature.count == modulusBytes, let context = EVP_MD_CTX_new() else { return false }
        defer { EVP_MD_CTX_free(context) }
        let bytes = Array(message)
        let result = bytes.withUnsafeBufferPointer { input in
            signature.withUnsafeBufferPointer { sig -> Int32 in
                guard EVP_DigestVerifyInit(context, nil, FetchedAlgorithms.sha256, nil, key.pointer) == 1 else { return 0 }
                return EVP_DigestVerify(context, sig.baseAddress, sig.count, input.baseAddress, input.count)
            }
        }
        if result != 1 { _ = CryptoError.drainQueue() }
        return result == 1
    }

    /// Encrypts `plaintext` with RSA-OAEP under this key (the platform side of the documented recipe).
    public func oaepEncrypt(_ plaintext: [UInt8], variant: OAEPVariant = .sha256MGF1SHA256) throws -> [UInt8] {
        guard let context = EVP_PKEY_CTX_new(key.pointer, nil) else { throw CryptoError("EVP_PKEY_CTX_new") }
        defer { EVP_PKEY_CTX_free(context) }
        guard EVP_PKEY_encrypt_init(context) == 1, variant.configure(context) else { throw CryptoError("OAEP setup") }
        var length = 0
        guard EVP_PKEY_encrypt(context, nil, &length, plaintext, plaintext.count) == 1 else { throw CryptoError("OAEP size") }
        var output = [UInt8](repeating: 0, count: length)
        guard EVP_PKEY_encrypt(context, &output, &length, plaintext, plaintext.count) == 1 else { throw CryptoError("OAEP encrypt") }
        return Array(output.prefix(length))
    }
}
