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

/// A row of `events`: the journal of accepted and rejected actions.
public struct EventRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    /// The table's name.
    public static let databaseTableName = "events"
    /// Random id.
    public var id: String
    /// Seconds since 1970.
    public var at: Double
    /// The integration concerned, when known.
    public var integrationId: String?
    /// The session concerned, when there is one.
    public var sessionId: String?
    /// `session_create`, `message`, `verify`, `context_change_ignored`…
    public var action: String
    /// `accepted` or `rejected`.
    public var outcome: String
    /// The refusal's code, when rejected.
    public var code: String?
    /// What happened, in words (hints and compat warnings included; never a secret).
    public var detail: String
    /// The token's `iss`, when it was read.
    public var iss: String?
    /// The token's `sub`, when it was read.
    public var sub: String?

    /// Creates a row.
    public init(
        id: String, at: Double, integrationId: String?, sessionId: String?, action: String, outcome: String, code: String?,
        detail: String, iss: String?, sub: String?
    ) {
        self.id = id
        self.at = at
        self.integrationId = integrationId
        self.sessionId = sessionId
        self.action = action
        self.outcome = outcome
        self.code = code
        self.detail = detail
        self.iss = iss
        self.sub = sub
    }

    enum CodingKeys: String, CodingKey {
        case id, at, integrationId = "integration_id", sessionId = "session_id", action, outcome, code, detail, iss, sub
    }
}
