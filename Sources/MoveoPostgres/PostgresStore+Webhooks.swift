import Logging
import MoveoStore
import PostgresNIO

// MARK: - Webhooks and settings on PostgreSQL (the same rules as AppDatabase+Webhooks/+Settings)

extension PostgresStore {
    /// Adds a webhook; refuses a second event webhook of its type, a name already used, or a 21st (`webhookExists`).
    public func createWebhook(_ webhook: WebhookRecord) async throws -> WebhookRecord {
        try await transaction { connection in
            guard try await Self.integrationExists(connection, webhook.integrationId, self.logger) else {
                throw StoreError.integrationNotFound(webhook.integrationId)
            }
            try await Self.lockWebhooks(connection, webhook.integrationId, self.logger)
            try await Self.checkRoom(connection, for: webhook, replacing: nil, self.logger)
            try await Self.insert(connection, webhook, self.logger)
            return webhook
        }
    }

    /// Changes a webhook's name, URL and/or custom headers (its type and token stay).
    public func updateWebhook(integrationId: String, webhookId: String, name: String?, url: String?, customHeaders: String?) async throws -> WebhookRecord {
        try await transaction { connection in
            try await Self.lockWebhooks(connection, integrationId, self.logger)
            var webhook = try await Self.webhook(connection, integrationId: integrationId, webhookId: webhookId, self.logger)
            if let name { webhook.name = name }
            if let url { webhook.url = url }
            if let customHeaders { webhook.customHeaders = customHeaders }
            try await Self.checkRoom(connection, for: webhook, replacing: webhookId, self.logger)
            try await Self.update(connection, webhook, self.logger)
            return webhook
        }
    }

    /// Replaces a webhook's verification token.
    public func setWebhookToken(integrationId: String, webhookId: String, token: String) async throws -> WebhookRecord {
        try await transaction { connection in
            var webhook = try await Self.webhook(connection, integrationId: integrationId, webhookId: webhookId, self.logger)
            webhook.verificationToken = token
            try await Self.update(connection, webhook, self.logger)
            return webhook
        }
    }

    /// Deletes a webhook (its past deliveries stay in the journal).
    public func deleteWebhook(integrationId: String, webhookId: String) async throws {
        try await transaction { connection in
            _ = try await Self.webhook(connection, integrationId: integrationId, webhookId: webhookId, self.logger)
            try await connection.query("DELETE FROM webhooks WHERE id = \(webhookId)", logger: self.logger)
        }
    }

    /// The v3 settings: sets, rotates or (nil URL) removes the dialog webhook `default`.
    public func setDefaultWebhook(
        integrationId id: String, url: String?, token: String?, newRecord: @escaping @Sendable () -> WebhookRecord
    ) async throws -> StoredIntegration {
        try await transaction { connection in
            guard try await Self.integrationExists(connection, id, self.logger) else { throw StoreError.integrationNotFound(id) }
            try await Self.lockWebhooks(connection, id, self.logger)
            let existing = try await Self.webhooks(connection, integrationId: id, self.logger).first { $0.name == "default" && $0.type == "dialog" }
            if let url {
                if var existing {
                    existing.url = url
                    if let token { existing.verificationToken = token }
                    try await Self.update(connection, existing, self.logger)
                } else {
                    var record = newRecord()
                    record.url = url
                    if let token { record.verificationToken = token }
                    try await Self.checkRoom(connection, for: record, replacing: nil, self.logger)
                    try await Self.insert(connection, record, self.logger)
                }
            } else if let existing {
                try await connection.query("DELETE FROM webhooks WHERE id = \(existing.id)", logger: self.logger)
            }
            return try await Self.integration(connection, id: id, self.logger)!
        }
    }

    // MARK: Settings

    /// The stored admin token, or nil before a first start stored one.
    public func adminToken() async throws -> String? {
        try await setting("admin_token")
    }

    /// The stored admin token, storing `generate()` first when there is none; `created` says which (the first instance wins).
    public func adminToken(orStore generate: @Sendable () -> String) async throws -> (token: String, created: Bool) {
        let candidate = generate()
        let inserted = try await client.withConnection { connection in
            try await connection.query("""
                INSERT INTO settings (key, value) VALUES ('admin_token', \(candidate)) ON CONFLICT (key) DO NOTHING RETURNING value
                """, logger: self.logger).decode(String.self).reduce(false) { _, _ in true }
        }
        return (try await setting("admin_token") ?? candidate, inserted)
    }

    /// The account id of webhook calls, made once per database (migration v4-webhook-types).
    public func accountId() async throws -> String {
        try await setting("account_id") ?? ""
    }

    /// Several instances share a PostgreSQL database.
    public var isShared: Bool { true }

    /// The shared clock setting, or nil for the system clock.
    public func clockSetting() async throws -> String? {
        try await setting("clock")
    }

    /// Stores the shared clock setting (nil: the system clock); every instance reads it per request.
    public func setClockSetting(_ value: String?) async throws {
        try await client.withConnection { connection in
            if let value {
                try await connection.query("""
                    INSERT INTO settings (key, value) VALUES ('clock', \(value)) ON CONFLICT (key) DO UPDATE SET value = excluded.value
                    """, logger: self.logger)
            } else {
                try await connection.query("DELETE FROM settings WHERE key = 'clock'", logger: self.logger)
            }
        }
    }

    func setting(_ key: String) async throws -> String? {
        try await client.withConnection { connection in
            var value: String?
            for try await text in try await connection.query("SELECT value FROM settings WHERE key = \(key)", logger: self.logger)
                .decode(String.self) { value = text }
            return value
        }
    }

    // MARK: Rows

    /// Serializes the webhook writes of one integration (the room checks read, then write).
    static func lockWebhooks(_ connection: PostgresConnection, _ integrationId: String, _ logger: Logger) async throws {
        try await connection.query("SELECT 1 FROM integrations WHERE id = \(integrationId) FOR UPDATE", logger: logger)
    }

    static func webhooks(_ connection: PostgresConnection, integrationId: String, _ logger: Logger) async throws -> [WebhookRecord] {
        var webhooks: [WebhookRecord] = []
        for try await (id, name, type, url, token, headers, created) in try await connection.query("""
            SELECT id, name, type, url, verification_token, custom_headers, created_at FROM webhooks
            WHERE integration_id = \(integrationId) ORDER BY created_at, position
            """, logger: logger).decode((String, String, String, String, String, String, Double).self) {
            webhooks.append(WebhookRecord(id: id, integrationId: integrationId, name: name, type: type, url: url, verificationToken: token,
                                          customHeaders: headers, createdAt: created))
        }
        return webhooks
    }

    static func webhook(_ connection: PostgresConnection, integrationId: String, webhookId: String, _ logger: Logger) async throws -> WebhookRecord {
        guard try await integrationExists(connection, integrationId, logger) else { throw StoreError.integrationNotFound(integrationId) }
        guard let webhook = try await webhooks(connection, integrationId: integrationId, logger).first(where: { $0.id == webhookId }) else {
            throw StoreError.webhookNotFound(webhookId)
        }
        return webhook
    }

    /// Refuses what the table's constraints would: a taken name, a second event webhook of a type, one past the limit.
    static func checkRoom(_ connection: PostgresConnection, for webhook: WebhookRecord, replacing: String?, _ logger: Logger) async throws {
        let others = try await webhooks(connection, integrationId: webhook.integrationId, logger).filter { $0.id != replacing }
        if others.contains(where: { $0.name == webhook.name }) {
            throw StoreError.webhookExists("the integration has a webhook named \"\(webhook.name)\" already")
        }
        if webhook.type != "dialog", others.contains(where: { $0.type == webhook.type }) {
            throw StoreError.webhookExists("the integration has a \(webhook.type) webhook already; there is at most one of each event type")
        }
        if others.count >= AppDatabase.maxWebhooks {
            throw StoreError.webhookExists("the integration has \(AppDatabase.maxWebhooks) webhooks, the most it may have")
        }
    }

    static func insert(_ connection: PostgresConnection, _ webhook: WebhookRecord, _ logger: Logger) async throws {
        try await connection.query("""
            INSERT INTO webhooks (id, integration_id, name, type, url, verification_token, custom_headers, created_at)
            VALUES (\(webhook.id), \(webhook.integrationId), \(webhook.name), \(webhook.type), \(webhook.url), \(webhook.verificationToken),
                    \(webhook.customHeaders), \(webhook.createdAt))
            """, logger: logger)
    }

    static func update(_ connection: PostgresConnection, _ webhook: WebhookRecord, _ logger: Logger) async throws {
        try await connection.query("""
            UPDATE webhooks SET name = \(webhook.name), url = \(webhook.url), verification_token = \(webhook.verificationToken),
                custom_headers = \(webhook.customHeaders) WHERE id = \(webhook.id)
            """, logger: logger)
    }
}
