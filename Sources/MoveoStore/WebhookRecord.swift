import GRDB

/// A row of `webhooks`: one of an integration's webhooks (CONTRACT §10).
public struct WebhookRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    /// The table's name.
    public static let databaseTableName = "webhooks"
    /// `wh_` + random.
    public var id: String
    /// The owning integration.
    public var integrationId: String
    /// Unique within the integration (`default` is the v3 `webhook_url`).
    public var name: String
    /// `dialog`, `first_message`, `pre_message` or `post_message`.
    public var type: String
    /// Where it is POSTed.
    public var url: String
    /// The HMAC-SHA256 key of `X-Moveo-Signature` (shown once, when set or rotated).
    public var verificationToken: String
    /// The custom headers as a compact JSON object of strings, in the order they are sent.
    public var customHeaders: String
    /// Seconds since 1970; dialog webhooks are called in creation order.
    public var createdAt: Double

    /// Creates a row.
    public init(
        id: String, integrationId: String, name: String, type: String, url: String, verificationToken: String, customHeaders: String = "{}",
        createdAt: Double
    ) {
        self.id = id
        self.integrationId = integrationId
        self.name = name
        self.type = type
        self.url = url
        self.verificationToken = verificationToken
        self.customHeaders = customHeaders
        self.createdAt = createdAt
    }

    /// The types, in the order a message calls them.
    public static let types = ["first_message", "pre_message", "dialog", "post_message"]

    enum CodingKeys: String, CodingKey {
        case id, integrationId = "integration_id", name, type, url, verificationToken = "verification_token", customHeaders = "custom_headers"
        case createdAt = "created_at"
    }
}
