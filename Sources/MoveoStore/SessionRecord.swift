import GRDB

/// A row of `sessions`: what a verified token pinned.
public struct SessionRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    /// The table's name.
    public static let databaseTableName = "sessions"
    /// A random capability (≥ 128 bits), URL-safe.
    public var id: String
    /// The owning integration.
    public var integrationId: String
    /// Whether a verified token created it.
    public var authenticated: Bool
    /// The pinned `sub`, or nil for an anonymous session.
    public var externalId: String?
    /// The pinned `iss`.
    public var issuer: String?
    /// The pinned decrypted context as compact JSON, or nil.
    public var context: String?
    /// Seconds since 1970.
    public var createdAt: Double
    /// Seconds since 1970: creation or the last accepted message.
    public var lastSeenAt: Double
    /// Stored messages of both roles.
    public var messageCount: Int

    /// Creates a row.
    public init(
        id: String, integrationId: String, authenticated: Bool, externalId: String?, issuer: String?, context: String?,
        createdAt: Double, lastSeenAt: Double, messageCount: Int = 0
    ) {
        self.id = id
        self.integrationId = integrationId
        self.authenticated = authenticated
        self.externalId = externalId
        self.issuer = issuer
        self.context = context
        self.createdAt = createdAt
        self.lastSeenAt = lastSeenAt
        self.messageCount = messageCount
    }

    enum CodingKeys: String, CodingKey {
        case id, integrationId = "integration_id", authenticated, externalId = "external_id", issuer, context
        case createdAt = "created_at", lastSeenAt = "last_seen_at", messageCount = "message_count"
    }
}
