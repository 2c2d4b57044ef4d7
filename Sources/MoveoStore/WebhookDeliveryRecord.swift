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
    /// `session_start` or `message`.
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

    /// Creates a row.
    public init(
        id: String, sessionId: String, integrationId: String, at: Double, event: String, url: String, requestId: String, status: Int?,
        durationMs: Double, signatureVerified: Bool, outcome: String, error: String?
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
    }

    enum CodingKeys: String, CodingKey {
        case id, sessionId = "session_id", integrationId = "integration_id", at, event, url, requestId = "request_id", status
        case durationMs = "duration_ms", signatureVerified = "signature_verified", outcome, error
    }
}
