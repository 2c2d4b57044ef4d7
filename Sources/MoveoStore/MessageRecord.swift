import GRDB

/// A row of `messages`: one user message or one assistant reply.
public struct MessageRecord: Sendable, Equatable, FetchableRecord, PersistableRecord {
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

    /// Decodes a row by column name (by hand, not Codable: the request path reads rows often).
    public init(row: Row) throws {
        id = row["id"]
        sessionId = row["session_id"]
        integrationId = row["integration_id"]
        externalId = row["external_id"]
        role = row["role"]
        text = row["text"]
        createdAt = row["created_at"]
        seq = row["seq"]
    }

    /// Encodes the columns by name.
    public func encode(to container: inout PersistenceContainer) throws {
        container["id"] = id
        container["session_id"] = sessionId
        container["integration_id"] = integrationId
        container["external_id"] = externalId
        container["role"] = role
        container["text"] = text
        container["created_at"] = createdAt
        container["seq"] = seq
    }

    /// Inserts the row through one cached statement: the request path's insert (GRDB's generic `insert` builds
    /// its statement and a persistence container per row).
    func append(to db: Database) throws {
        try db.cachedStatement(sql: "INSERT INTO messages (id, session_id, integration_id, external_id, role, text, created_at, seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
            .execute(arguments: [id, sessionId, integrationId, externalId, role, text, createdAt, seq])
    }
}
