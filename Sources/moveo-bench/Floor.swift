import MoveoAuth

/// The RSA and AES floor measured through the same OpenSSL, and the in-process pipeline beside it.
struct Floor {
    /// CPU seconds per operation.
    var privateDecrypt = 0.0, verify = 0.0, aesDecrypt = 0.0
    var pipelineVerifyOnly = 0.0, pipelineWithContext = 0.0

    /// The floor of a token with a context: two private decryptions and one verification.
    var contextFloor: Double { 2 * privateDecrypt + verify }

    static func measure(keys: BenchKeys, iterations: Int) throws -> Floor {
        var floor = Floor()
        let platformPublic = keys.platform.publicKey
        let wrapped = try platformPublic.oaepEncrypt(Digest.randomBytes(32))
        floor.privateDecrypt = Measure.perCall(iterations) { _ = keys.platform.oaepDecrypt(wrapped, variant: .sha256MGF1SHA256) }.cpu
        let message = Array(String(repeating: "x", count: 600).utf8)
        let signature = try keys.customer.signRS256(message)
        let customerPublic = keys.customer.publicKey
        floor.verify = Measure.perCall(iterations * 20) { _ = customerPublic.verifyRS256(signature: signature, message: message) }.cpu
        let key = Digest.randomBytes(32), iv = Digest.randomBytes(16)
        let ciphertext = try AESCBC.encrypt(Array(repeating: 0x41, count: 1024), key: key, iv: iv)
        floor.aesDecrypt = try Measure.perCall(iterations * 20) { _ = try AESCBC.decrypt(ciphertext, key: key, iv: iv) }.cpu

        let keyring = IntegrationKeyring(customerKeys: [.init(customerPublic)], platformKeys: [keys.platform])
        let signer = TokenSigner(signingKey: keys.customer, platformKey: platformPublic)
        let now = 1_800_000_000.0
        let verifier = TokenVerifier(keyring: keyring, policy: VerificationPolicy(now: now))
        let plain = try signer.identityToken(issuer: "bench", subject: "u", now: now, ttl: 60)
        let withContext = try signer.identityToken(issuer: "bench", subject: "u", now: now, ttl: 60, context: BenchKeys.context)
        floor.pipelineVerifyOnly = Measure.perCall(iterations * 20) { precondition(verifier.verify(plain).error == nil) }.cpu
        floor.pipelineWithContext = Measure.perCall(iterations) { precondition(verifier.verify(withContext).error == nil) }.cpu
        return floor
    }
}
