import GRDB

/// A row of `messages`: one user message or one assistant reply.
public struct MessageRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    /// The table's name.
    public static let databaseTableName = "messages"
    /// Random id.
    public var id: String
    /// The owning session.
    public var sessionId: String
    /// The session's integration (for usage figures).
    public var integrationId: String
    /// The session's `sub`, for usage figures and user deletion.
    public var externalId: String?
    /// `user` or `assistant`.
    public var role: String
    /// The text.
    public var text: String
    /// Seconds since 1970.
    public var createdAt: Double
    /// Order within the session.
    public var seq: Int

    /// Creates a row.
    public init(id: String, sessionId: String, integrationId: String, externalId: String?, role: String, text: String, createdAt: Double, seq: Int) {
        self.id = id
        self.sessionId = sessionId
        self.integrationId = integrationId
        self.externalId = externalId
        self.role = role
        self.text = text
        self.createdAt = createdAt
        self.seq = seq
    }

    enum CodingKeys: String, CodingKey {
        case id, sessionId = "session_id", integrationId = "integration_id", externalId = "external_id", role, text
        case createdAt = "created_at", seq
    }
}
