/// The keys one integration verifies and decrypts with, parsed once and shared.
public struct IntegrationKeyring: Sendable {
    /// A customer public key with its RFC 7638 thumbprint computed once.
    public struct CustomerKey: Sendable {
        /// The RFC 7638 thumbprint.
        public let kid: String
        /// The key.
        public let key: RSAPublicKey

        /// Wraps `key`, computing its thumbprint.
        public init(_ key: RSAPublicKey) {
            self.key = key
            self.kid = key.thumbprint
        }
    }

    /// The customer keys that may sign identity tokens.
    public var customerKeys: [CustomerKey]
    /// The platform private keys that unwrap `encryption_key`/`init_vector`: the current first, then the previous.
    public var platformKeys: [RSAPrivateKey]

    /// Creates a keyring.
    public init(customerKeys: [CustomerKey], platformKeys: [RSAPrivateKey]) {
        self.customerKeys = customerKeys
        self.platformKeys = platformKeys
    }
}
