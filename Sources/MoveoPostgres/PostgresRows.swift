import MoveoStore
import PostgresNIO

// MARK: - Wide rows read by column name (the same columns as SQLite's tables)

extension PostgresRandomAccessRow {
    /// The named column's value.
    func value<T: PostgresDecodable>(_ name: String, as type: T.Type = T.self) throws -> T { try self[name].decode(T.self) }
}

extension SessionRecord {
    /// The columns `init(postgres:)` reads.
    static let postgresColumns = """
        id, integration_id, authenticated, external_id, issuer, context, created_at, last_seen_at, message_count, public_context, \
        variables, locale, ended_at
        """

    /// A session from a row of `postgresColumns`.
    init(postgres row: PostgresRow) throws {
        let row = row.makeRandomAccess()
        self.init(id: try row.value("id"), integrationId: try row.value("integration_id"), authenticated: try row.value("authenticated", as: Int64.self) != 0,
                  externalId: try row.value("external_id"), issuer: try row.value("issuer"), context: try row.value("context"),
                  createdAt: try row.value("created_at"), lastSeenAt: try row.value("last_seen_at"),
                  messageCount: Int(try row.value("message_count", as: Int64.self)), publicContext: try row.value("public_context"),
                  variables: try row.value("variables"), locale: try row.value("locale"), endedAt: try row.value("ended_at"))
    }
}

extension MessageRecord {
    /// A message from `id, session_id, integration_id, external_id, role, text, created_at, seq`.
    init(postgres row: PostgresRow) throws {
        let row = row.makeRandomAccess()
        self.init(id: try row.value("id"), sessionId: try row.value("session_id"), integrationId: try row.value("integration_id"),
                  externalId: try row.value("external_id"), role: try row.value("role"), text: try row.value("text"),
                  createdAt: try row.value("created_at"), seq: Int(try row.value("seq", as: Int64.self)))
    }
}

extension EventRecord {
    /// An event from `id, at, integration_id, session_id, action, outcome, code, detail, iss, sub`.
    init(postgres row: PostgresRow) throws {
        let row = row.makeRandomAccess()
        self.init(id: try row.value("id"), at: try row.value("at"), integrationId: try row.value("integration_id"), sessionId: try row.value("session_id"),
                  action: try row.value("action"), outcome: try row.value("outcome"), code: try row.value("code"), detail: try row.value("detail"),
                  iss: try row.value("iss"), sub: try row.value("sub"))
    }
}

extension WebhookDeliveryRecord {
    /// A delivery from every column of `webhook_deliveries`.
    init(postgres row: PostgresRow) throws {
        let row = row.makeRandomAccess()
        self.init(id: try row.value("id"), sessionId: try row.value("session_id"), integrationId: try row.value("integration_id"), at: try row.value("at"),
                  event: try row.value("event"), url: try row.value("url"), requestId: try row.value("request_id"),
                  status: try row.value("status", as: Int64?.self).map(Int.init), durationMs: try row.value("duration_ms"),
                  signatureVerified: try row.value("signature_verified", as: Int64.self) != 0, outcome: try row.value("outcome"),
                  error: try row.value("error"), webhookId: try row.value("webhook_id"), type: try row.value("type"), ignored: try row.value("ignored"),
                  responses: try row.value("responses"))
    }
}
