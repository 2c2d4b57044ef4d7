import GRDB

/// A row of `integrations` (its v2 columns `webhook_url`/`webhook_secret` moved to `webhooks` in migration v4).
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

    /// Creates a row.
    public init(
        id: String, name: String, authRequired: Bool, sessionTimeout: Int, createdAt: Double
    ) {
        self.id = id
        self.name = name
        self.authRequired = authRequired
        self.sessionTimeout = sessionTimeout
        self.createdAt = createdAt
    }

    enum CodingKeys: String, CodingKey {
        case id, name, authRequired = "auth_required", sessionTimeout = "session_timeout", createdAt = "created_at"
    }
}
