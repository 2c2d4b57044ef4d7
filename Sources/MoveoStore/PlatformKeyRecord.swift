import GRDB

/// A row of `platform_keys`: a generated keypair; the current one and at most one previous one.
public struct PlatformKeyRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    /// The table's name.
    public static let databaseTableName = "platform_keys"
    /// The owning integration.
    public var integrationId: String
    /// RFC 7638 thumbprint of the public half.
    public var kid: String
    /// PEM PKCS#8 private key (never leaves the process).
    public var privateKeyPEM: String
    /// Modulus bits.
    public var bits: Int
    /// True for the key customers encrypt to now; false for the one before the last rotation.
    public var isCurrent: Bool
    /// Seconds since 1970.
    public var createdAt: Double

    /// Creates a row.
    public init(integrationId: String, kid: String, privateKeyPEM: String, bits: Int, isCurrent: Bool, createdAt: Double) {
        self.integrationId = integrationId
        self.kid = kid
        self.privateKeyPEM = privateKeyPEM
        self.bits = bits
        self.isCurrent = isCurrent
        self.createdAt = createdAt
    }

    enum CodingKeys: String, CodingKey {
        case integrationId = "integration_id", kid, privateKeyPEM = "private_key_pem", bits, isCurrent = "is_current", createdAt = "created_at"
    }
}
