import GRDB

/// A row of `events`: the journal of accepted and rejected actions.
public struct EventRecord: Sendable, Equatable, FetchableRecord, PersistableRecord {
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

    /// Decodes a row by column name (by hand, not Codable: the request path reads rows often).
    public init(row: Row) throws {
        id = row["id"]
        at = row["at"]
        integrationId = row["integration_id"]
        sessionId = row["session_id"]
        action = row["action"]
        outcome = row["outcome"]
        code = row["code"]
        detail = row["detail"]
        iss = row["iss"]
        sub = row["sub"]
    }

    /// Encodes the columns by name.
    public func encode(to container: inout PersistenceContainer) throws {
        container["id"] = id
        container["at"] = at
        container["integration_id"] = integrationId
        container["session_id"] = sessionId
        container["action"] = action
        container["outcome"] = outcome
        container["code"] = code
        container["detail"] = detail
        container["iss"] = iss
        container["sub"] = sub
    }

    /// Inserts the row through one cached statement: the request path's insert (GRDB's generic `insert` builds
    /// its statement and a persistence container per row).
    func append(to db: Database) throws {
        try db.cachedStatement(sql: "INSERT INTO events (id, at, integration_id, session_id, action, outcome, code, detail, iss, sub) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
            .execute(arguments: [id, at, integrationId, sessionId, action, outcome, code, detail, iss, sub])
    }
}
