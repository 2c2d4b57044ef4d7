import GRDB

extension AppDatabase {
    // MARK: - Writes

    /// Sets or removes (nil URL) an integration's webhook; the secret is kept unless one is given.
    public func setWebhook(integrationId id: String, url: String?, secret: String?) async throws -> StoredIntegration {
        defer { cache.remove(id) }
        return try await dbWriter.write { db in
            guard var record = try IntegrationRecord.fetchOne(db, key: id) else { throw StoreError.integrationNotFound(id) }
            record.webhookURL = url
            record.webhookSecret = url == nil ? nil : (secret ?? record.webhookSecret)
            try record.update(db)
            return try Self.integration(db, id: id)!
        }
    }

    /// Journals a delivery made outside a message (the session start).
    public func appendDelivery(_ delivery: WebhookDeliveryRecord, events: [EventRecord]) async throws {
        try await dbWriter.write { db in
            guard try SessionRecord.exists(db, key: delivery.sessionId) else { return }
            try delivery.insert(db)
            for event in events { try event.insert(db) }
        }
    }

    // MARK: - Reads

    /// A session's deliveries, oldest first.
    public func deliveries(sessionId: String) async throws -> [WebhookDeliveryRecord] {
        try await dbWriter.read { db in
            try WebhookDeliveryRecord.filter(Column("session_id") == sessionId).order(Column("at"), Column("id")).fetchAll(db)
        }
    }
}
