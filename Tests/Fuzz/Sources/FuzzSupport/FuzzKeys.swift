import MoveoAuth

/// Fixed keys and clock for the fuzz targets (test-only keys, generated once per process).
public enum FuzzKeys {
    /// The customer signing key.
    public static let customer = try! RSAPrivateKey(generatingBits: 2048)
    /// The platform key.
    public static let platform = try! RSAPrivateKey(generatingBits: 2048)
    /// The fixed clock.
    public static let now: Double = 1_800_000_000
    /// A verifier over both keys, with compat on so every near-miss path is reachable.
    public static let verifier = TokenVerifier(
        keyring: IntegrationKeyring(customerKeys: [.init(customer.publicKey)], platformKeys: [platform]),
        policy: VerificationPolicy(now: now, leeway: 5, compat: true))
    /// A signer for tokens whose signature holds.
    public static let signer = TokenSigner(signingKey: customer, platformKey: platform.publicKey)
}
