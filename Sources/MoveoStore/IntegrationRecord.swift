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
