import GRDB

/// A row of `sessions`: what a verified token pinned.
public struct SessionRecord: Sendable, Equatable, FetchableRecord, PersistableRecord {
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
    /// The public layer (written by the browser) as compact JSON, or nil (CONTRACT §9).
    public var publicContext: String?
    /// The variables layer (written by webhook answers' `output`) as compact JSON, or nil (CONTRACT §9).
    public var variables: String?
    /// The BCP 47 locale the web client set (`en` by default).
    public var locale: String
    /// Seconds since 1970 when the session was ended (`DELETE`), or nil while it is open.
    public var endedAt: Double?

    /// Creates a row.
    public init(
        id: String, integrationId: String, authenticated: Bool, externalId: String?, issuer: String?, context: String?,
        createdAt: Double, lastSeenAt: Double, messageCount: Int = 0, publicContext: String? = nil, variables: String? = nil,
        locale: String = "en", endedAt: Double? = nil
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
        self.publicContext = publicContext
        self.variables = variables
        self.locale = locale
        self.endedAt = endedAt
    }

    /// Decodes a row by column name (by hand, not Codable: the request path reads rows often).
    public init(row: Row) throws {
        id = row["id"]
        integrationId = row["integration_id"]
        authenticated = row["authenticated"]
        externalId = row["external_id"]
        issuer = row["issuer"]
        context = row["context"]
        createdAt = row["created_at"]
        lastSeenAt = row["last_seen_at"]
        messageCount = row["message_count"]
        publicContext = row["public_context"]
        variables = row["variables"]
        locale = row["locale"]
        endedAt = row["ended_at"]
    }

    /// Encodes the columns by name.
    public func encode(to container: inout PersistenceContainer) throws {
        container["id"] = id
        container["integration_id"] = integrationId
        container["authenticated"] = authenticated
        container["external_id"] = externalId
        container["issuer"] = issuer
        container["context"] = context
        container["created_at"] = createdAt
        container["last_seen_at"] = lastSeenAt
        container["message_count"] = messageCount
        container["public_context"] = publicContext
        container["variables"] = variables
        container["locale"] = locale
        container["ended_at"] = endedAt
    }

    /// Inserts the row through one cached statement: the request path's insert (GRDB's generic `insert` builds
    /// its statement and a persistence container per row).
    func append(to db: Database) throws {
        try db.cachedStatement(sql: "INSERT INTO sessions (id, integration_id, authenticated, external_id, issuer, context, created_at, last_seen_at, message_count, public_context, variables, locale, ended_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
            .execute(arguments: [id, integrationId, authenticated, externalId, issuer, context, createdAt, lastSeenAt, messageCount, publicContext,
                                 variables, locale, endedAt])
    }
}
