import GRDB

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
