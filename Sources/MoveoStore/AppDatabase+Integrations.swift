import GRDB

// MARK: - Writes

extension AppDatabase {
    /// Creates an integration with its keys; refuses a taken id and changes nothing then.
    public func createIntegration(_ integration: StoredIntegration) async throws -> StoredIntegration {
        defer { cache.remove(integration.record.id) }
        return try await dbWriter.write { db in
            if try IntegrationRecord.exists(db, key: integration.record.id) {
                throw StoreError.integrationExists(integration.record.id)
            }
            try integration.record.insert(db)
            for key in integration.customerKeys { try key.insert(db) }
            for key in integration.platformKeys { try key.insert(db) }
            for webhook in integration.webhooks { try webhook.insert(db) }
            return try Self.integration(db, id: integration.record.id)!
        }
    }

    /// Creates or updates a seeded integration: same id, name, flags and customer keys; a platform key is kept unless one is given.
    /// Its webhooks are matched by name (a `""` token keeps the stored one, or gets `newWebhookToken()` when new).
    public func seedIntegration(
        _ seed: StoredIntegration, generatePlatformKey: @Sendable () throws -> PlatformKeyRecord, newWebhookToken: @Sendable () -> String
    ) async throws -> StoredIntegration {
        defer { cache.remove(seed.record.id) }
        return try await dbWriter.write { db in
            let id = seed.record.id
            if var existing = try IntegrationRecord.fetchOne(db, key: id) {
                existing.name = seed.record.name
                existing.authRequired = seed.record.authRequired
                existing.sessionTimeout = seed.record.sessionTimeout
                try existing.update(db)
            } else {
                try seed.record.insert(db)
            }
            let keptKids = Set(seed.customerKeys.map(\.kid))
            try CustomerKeyRecord.filter(Column("integration_id") == id).filter(!keptKids.contains(Column("kid"))).deleteAll(db)
            for key in seed.customerKeys where try !CustomerKeyRecord.exists(db, key: ["integration_id": id, "kid": key.kid]) {
                try key.insert(db)
            }
            let current = try PlatformKeyRecord.filter(Column("integration_id") == id && Column("is_current") == true).fetchOne(db)
            if let wanted = seed.platformKeys.first {
                if current?.kid != wanted.kid {
                    try PlatformKeyRecord.filter(Column("integration_id") == id).deleteAll(db)
                    try wanted.insert(db)
                }
            } else if current == nil {
                try generatePlatformKey().insert(db)
            }
            try Self.seedWebhooks(db, integrationId: id, seed.webhooks, newToken: newWebhookToken)
            return try Self.integration(db, id: id)!
        }
    }

    /// Changes name, auth_required and/or session_timeout.
    public func updateIntegration(id: String, name: String?, authRequired: Bool?, sessionTimeout: Int?) async throws -> StoredIntegration {
        defer { cache.remove(id) }
        return try await dbWriter.write { db in
            guard var record = try IntegrationRecord.fetchOne(db, key: id) else { throw StoreError.integrationNotFound(id) }
            if let name { record.name = name }
            if let authRequired { record.authRequired = authRequired }
            if let sessionTimeout { record.sessionTimeout = sessionTimeout }
            try record.update(db)
            return try Self.integration(db, id: id)!
        }
    }

    /// Deletes an integration; its keys, sessions, messages and events go too.
    public func deleteIntegration(id: String) async throws {
        defer {
            cache.remove(id)
            sessionCache.removeAll()
        }
        try await dbWriter.write { [sessionCache] db in
            sessionCache.removeAll()
            guard try IntegrationRecord.deleteOne(db, key: id) else { throw StoreError.integrationNotFound(id) }
            try MessageRecord.filter(Column("integration_id") == id).deleteAll(db)
            try EventRecord.filter(Column("integration_id") == id).deleteAll(db)
        }
    }

    /// Replaces every customer key (`replace`) or adds one (rotation); a key already present is kept as it was.
    public func setCustomerKeys(integrationId id: String, keys: [CustomerKeyRecord], replace: Bool) async throws -> StoredIntegration {
        defer { cache.remove(id) }
        return try await dbWriter.write { db in
            guard try IntegrationRecord.exists(db, key: id) else { throw StoreError.integrationNotFound(id) }
            if replace {
                try CustomerKeyRecord.filter(Column("integration_id") == id).filter(!keys.map(\.kid).contains(Column("kid"))).deleteAll(db)
            }
            for key in keys where try !CustomerKeyRecord.exists(db, key: ["integration_id": id, "kid": key.kid]) {
                try key.insert(db)
            }
            return try Self.integration(db, id: id)!
        }
    }

    /// Removes one customer key.
    public func deleteCustomerKey(integrationId id: String, kid: String) async throws -> StoredIntegration {
        defer { cache.remove(id) }
        return try await dbWriter.write { db in
            guard try IntegrationRecord.exists(db, key: id) else { throw StoreError.integrationNotFound(id) }
            guard try CustomerKeyRecord.deleteOne(db, key: ["integration_id": id, "kid": kid]) else { throw StoreError.keyNotFound(kid) }
            return try Self.integration(db, id: id)!
        }
    }

    /// Makes `newKey` current; the current key becomes the previous one and any older one is dropped.
    public func rotatePlatformKey(integrationId id: String, newKey: PlatformKeyRecord) async throws -> StoredIntegration {
        defer { cache.remove(id) }
        return try await dbWriter.write { db in
            guard try IntegrationRecord.exists(db, key: id) else { throw StoreError.integrationNotFound(id) }
            try PlatformKeyRecord.filter(Column("integration_id") == id && Column("is_current") == false).deleteAll(db)
            try db.execute(sql: "UPDATE platform_keys SET is_current = 0 WHERE integration_id = ?", arguments: [id])
            try newKey.insert(db)
            return try Self.integration(db, id: id)!
        }
    }
}

// MARK: - Reads

extension AppDatabase {
    /// One integration with its keys, or nil (from memory after the first read, until a write touches it).
    public func integration(id: String) async throws -> StoredIntegration? {
        let (cached, generation) = cache.get(id)
        if let cached { return cached }
        let stored = try await dbWriter.read { db in try Self.integration(db, id: id) }
        if let stored { cache.put(stored, readAt: generation) }
        return stored
    }

    /// Every integration, oldest first.
    public func integrations() async throws -> [StoredIntegration] {
        try await dbWriter.read { db in
            try IntegrationRecord.order(Column("created_at"), Column("id")).fetchAll(db).map { record in
                try Self.integration(db, id: record.id)!
            }
        }
    }

    /// How many integrations there are.
    public func integrationCount() async throws -> Int {
        try await dbWriter.read { db in try IntegrationRecord.fetchCount(db) }
    }

    static func integration(_ db: Database, id: String) throws -> StoredIntegration? {
        guard let record = try IntegrationRecord.fetchOne(db, key: id) else { return nil }
        let customer = try CustomerKeyRecord.filter(Column("integration_id") == id).order(Column("added_at"), Column("kid")).fetchAll(db)
        let platform = try PlatformKeyRecord.filter(Column("integration_id") == id).order(Column("is_current").desc, Column("created_at").desc).fetchAll(db)
        // Creation order; the rowid breaks ties (a fixed clock, or a seed file creating several at once).
        let webhooks = try WebhookRecord.filter(Column("integration_id") == id).order(Column("created_at"), Column.rowID).fetchAll(db)
        return StoredIntegration(record: record, customerKeys: customer, platformKeys: platform, webhooks: webhooks)
    }
}
