import GRDB

extension AppDatabase {
    /// The most webhooks one integration may have.
    public static let maxWebhooks = 20

    // MARK: - Writes

    /// Adds a webhook; refuses a second event webhook of its type, a name already used, or a 21st (`webhookExists`).
    public func createWebhook(_ webhook: WebhookRecord) async throws -> WebhookRecord {
        defer { cache.remove(webhook.integrationId) }
        return try await dbWriter.write { db in
            guard try IntegrationRecord.exists(db, key: webhook.integrationId) else { throw StoreError.integrationNotFound(webhook.integrationId) }
            try Self.checkRoom(db, for: webhook, replacing: nil)
            try webhook.insert(db)
            return webhook
        }
    }

    /// Changes a webhook's name, URL and/or custom headers (its type and token stay).
    public func updateWebhook(
        integrationId: String, webhookId: String, name: String?, url: String?, customHeaders: String?
    ) async throws -> WebhookRecord {
        defer { cache.remove(integrationId) }
        return try await dbWriter.write { db in
            var webhook = try Self.webhook(db, integrationId: integrationId, webhookId: webhookId)
            if let name { webhook.name = name }
            if let url { webhook.url = url }
            if let customHeaders { webhook.customHeaders = customHeaders }
            try Self.checkRoom(db, for: webhook, replacing: webhookId)
            try webhook.update(db)
            return webhook
        }
    }

    /// Replaces a webhook's verification token.
    public func setWebhookToken(integrationId: String, webhookId: String, token: String) async throws -> WebhookRecord {
        defer { cache.remove(integrationId) }
        return try await dbWriter.write { db in
            var webhook = try Self.webhook(db, integrationId: integrationId, webhookId: webhookId)
            webhook.verificationToken = token
            try webhook.update(db)
            return webhook
        }
    }

    /// Deletes a webhook (its past deliveries stay in the journal).
    public func deleteWebhook(integrationId: String, webhookId: String) async throws {
        defer { cache.remove(integrationId) }
        try await dbWriter.write { db in
            _ = try Self.webhook(db, integrationId: integrationId, webhookId: webhookId)
            _ = try WebhookRecord.deleteOne(db, key: webhookId)
        }
    }

    /// The v3 settings: sets the `default` dialog webhook's URL (creating it with `newToken()`'s token), its token
    /// when one is given, or removes it (nil URL).
    public func setDefaultWebhook(
        integrationId id: String, url: String?, token: String?, newRecord: @escaping @Sendable () -> WebhookRecord
    ) async throws -> StoredIntegration {
        defer { cache.remove(id) }
        return try await dbWriter.write { db in
            guard try IntegrationRecord.exists(db, key: id) else { throw StoreError.integrationNotFound(id) }
            try Self.setDefaultWebhook(db, integrationId: id, url: url, token: token, newRecord: newRecord)
            return try Self.integration(db, id: id)!
        }
    }

    static func setDefaultWebhook(
        _ db: Database, integrationId id: String, url: String?, token: String?, newRecord: () -> WebhookRecord
    ) throws {
        let existing = try WebhookRecord.filter(Column("integration_id") == id && Column("name") == "default" && Column("type") == "dialog")
            .fetchOne(db)
        guard let url else {
            if let existing { _ = try WebhookRecord.deleteOne(db, key: existing.id) }
            return
        }
        if var existing {
            existing.url = url
            if let token { existing.verificationToken = token }
            try existing.update(db)
        } else {
            var record = newRecord()
            record.url = url
            if let token { record.verificationToken = token }
            try checkRoom(db, for: record, replacing: nil)
            try record.insert(db)
        }
    }

    /// A seed's webhooks, matched by name: created, or updated (type, URL, headers; the token only when the seed gives one).
    /// A seed's webhook whose token is `""` keeps its stored token, or gets `newToken()` when it is new.
    static func seedWebhooks(_ db: Database, integrationId: String, _ webhooks: [WebhookRecord], newToken: () -> String) throws {
        for var webhook in webhooks {
            if let existing = try WebhookRecord.filter(Column("integration_id") == integrationId && Column("name") == webhook.name).fetchOne(db) {
                webhook.id = existing.id
                webhook.createdAt = existing.createdAt
                if webhook.verificationToken.isEmpty { webhook.verificationToken = existing.verificationToken }
                try checkRoom(db, for: webhook, replacing: existing.id)
                try webhook.update(db)
            } else {
                if webhook.verificationToken.isEmpty { webhook.verificationToken = newToken() }
                try checkRoom(db, for: webhook, replacing: nil)
                try webhook.insert(db)
            }
        }
    }

    // MARK: - Reads

    /// A session's deliveries, oldest first.
    public func deliveries(sessionId: String) async throws -> [WebhookDeliveryRecord] {
        try await dbWriter.read { db in
            try WebhookDeliveryRecord.filter(Column("session_id") == sessionId).order(Column("at"), Column("id")).fetchAll(db)
        }
    }

    private static func webhook(_ db: Database, integrationId: String, webhookId: String) throws -> WebhookRecord {
        guard try IntegrationRecord.exists(db, key: integrationId) else { throw StoreError.integrationNotFound(integrationId) }
        guard let webhook = try WebhookRecord.fetchOne(db, key: webhookId), webhook.integrationId == integrationId else {
            throw StoreError.webhookNotFound(webhookId)
        }
        return webhook
    }

    /// Refuses what the table's constraints would: a taken name, a second event webhook of a type, one past the limit.
    private static func checkRoom(_ db: Database, for webhook: WebhookRecord, replacing: String?) throws {
        let others = try WebhookRecord.filter(Column("integration_id") == webhook.integrationId).fetchAll(db).filter { $0.id != replacing }
        if others.contains(where: { $0.name == webhook.name }) {
            throw StoreError.webhookExists("the integration has a webhook named \"\(webhook.name)\" already")
        }
        if webhook.type != "dialog", others.contains(where: { $0.type == webhook.type }) {
            throw StoreError.webhookExists("the integration has a \(webhook.type) webhook already; there is at most one of each event type")
        }
        if others.count >= maxWebhooks {
            throw StoreError.webhookExists("the integration has \(maxWebhooks) webhooks, the most it may have")
        }
    }
}
