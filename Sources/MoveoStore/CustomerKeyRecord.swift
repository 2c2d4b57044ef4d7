import GRDB

/// A row of `customer_keys`: a public key that may sign identity tokens.
public struct CustomerKeyRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    /// The table's name.
    public static let databaseTableName = "customer_keys"
    /// The owning integration.
    public var integrationId: String
    /// RFC 7638 thumbprint.
    public var kid: String
    /// PEM SubjectPublicKeyInfo.
    public var publicKeyPEM: String
    /// Lowercase hex SHA-256 of the DER SPKI.
    public var fingerprintSHA256: String
    /// Modulus bits.
    public var bits: Int
    /// Seconds since 1970.
    public var addedAt: Double

    /// Creates a row.
    public init(integrationId: String, kid: String, publicKeyPEM: String, fingerprintSHA256: String, bits: Int, addedAt: Double) {
        self.integrationId = integrationId
        self.kid = kid
        self.publicKeyPEM = publicKeyPEM
        self.fingerprintSHA256 = fingerprintSHA256
        self.bits = bits
        self.addedAt = addedAt
    }

    enum CodingKeys: String, CodingKey {
        case integrationId = "integration_id", kid, publicKeyPEM = "public_key_pem", fingerprintSHA256 = "fingerprint_sha256", bits
        case addedAt = "added_at"
    }
}
