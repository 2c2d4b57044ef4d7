import GRDB

/// A row of `integrations`.
public struct IntegrationRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    /// The table's name.
    public static let databaseTableName = "integrations"
    /// `[A-Za-z0-9_-]{1,64}`.
    public var id: String
    /// A display name.
    public var name: String
    /// Whether a session needs a valid token.
    public var authRequired: Bool
    /// Idle seconds after which a session is over.
    public var sessionTimeout: Int
    /// Seconds since 1970.
    public var createdAt: Double
    /// Where messages are POSTed, if the integration has a webhook.
    public var webhookURL: String?
    /// The HMAC-SHA256 key of `X-Moveo-Signature` (shown once, when set or rotated).
    public var webhookSecret: String?

    /// Creates a row.
    public init(
        id: String, name: String, authRequired: Bool, sessionTimeout: Int, createdAt: Double, webhookURL: String? = nil, webhookSecret: String? = nil
    ) {
        self.id = id
        self.name = name
        self.authRequired = authRequired
        self.sessionTimeout = sessionTimeout
        self.createdAt = createdAt
        self.webhookURL = webhookURL
        self.webhookSecret = webhookSecret
    }

    enum CodingKeys: String, CodingKey {
        case id, name, authRequired = "auth_required", sessionTimeout = "session_timeout", createdAt = "created_at"
        case webhookURL = "webhook_url", webhookSecret = "webhook_secret"
    }
}

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
