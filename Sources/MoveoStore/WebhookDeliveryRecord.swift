import GRDB

/// A row of `webhook_deliveries`: one POST to an integration's webhook and how it went.
public struct WebhookDeliveryRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    /// The table's name.
    public static let databaseTableName = "webhook_deliveries"
    /// Random id.
    public var id: String
    /// The session the delivery belongs to.
    public var sessionId: String
    /// The session's integration.
    public var integrationId: String
    /// Seconds since 1970, when it was sent.
    public var at: Double
    /// What caused it: `message` (v2's `session_start` no longer happens).
    public var event: String
    /// The URL it was sent to.
    public var url: String
    /// The `X-Moveo-Request-Id` header.
    public var requestId: String
    /// The receiver's HTTP status, when it answered.
    public var status: Int?
    /// How long the call took, milliseconds.
    public var durationMs: Double
    /// Whether our own check of `X-Moveo-Signature` over the bytes sent held.
    public var signatureVerified: Bool
    /// `ok` or `failed`.
    public var outcome: String
    /// Why it failed (timeout, status, malformed answer…), when it did.
    public var error: String?
    /// The webhook called (nil for rows from before migration v4).
    public var webhookId: String?
    /// The webhook's type: `first_message`, `pre_message`, `dialog` or `post_message`.
    public var type: String?
    /// JSON array of the pointers of `output` the private context defines (not stored).
    public var ignored: String
    /// JSON array of the responses the answer gave (as the web channel delivers them), or nil.
    public var responses: String?

    /// Creates a row.
    public init(
        id: String, sessionId: String, integrationId: String, at: Double, event: String, url: String, requestId: String, status: Int?,
        durationMs: Double, signatureVerified: Bool, outcome: String, error: String?, webhookId: String? = nil, type: String? = nil,
        ignored: String = "[]", responses: String? = nil
    ) {
        self.id = id
        self.sessionId = sessionId
        self.integrationId = integrationId
        self.at = at
        self.event = event
        self.url = url
        self.requestId = requestId
        self.status = status
        self.durationMs = durationMs
        self.signatureVerified = signatureVerified
        self.outcome = outcome
        self.error = error
        self.webhookId = webhookId
        self.type = type
        self.ignored = ignored
        self.responses = responses
    }

    enum CodingKeys: String, CodingKey {
        case id, sessionId = "session_id", integrationId = "integration_id", at, event, url, requestId = "request_id", status
        case durationMs = "duration_ms", signatureVerified = "signature_verified", outcome, error, webhookId = "webhook_id", type, ignored, responses
    }
}
