import Logging
import MoveoStore
import PostgresNIO

// MARK: - Integrations, keys and webhooks on PostgreSQL (the same rules as AppDatabase+Integrations/+Webhooks)

extension PostgresStore {
    /// Creates an integration with its keys; refuses a taken id and changes nothing then.
    public func createIntegration(_ integration: StoredIntegration) async throws -> StoredIntegration {
        try await transaction { connection in
            let id = integration.record.id, record = integration.record
            // ON CONFLICT: another instance creating the same id at the same moment is a refusal, not a database error.
            let inserted = try await connection.query("""
                INSERT INTO integrations (id, name, auth_required, session_timeout, created_at)
                VALUES (\(id), \(record.name), \(Int64(record.authRequired ? 1 : 0)), \(Int64(record.sessionTimeout)), \(record.createdAt))
                ON CONFLICT (id) DO NOTHING RETURNING id
                """, logger: self.logger).decode(String.self).reduce(false) { _, _ in true }
            guard inserted else { throw StoreError.integrationExists(id) }
            for key in integration.customerKeys { try await Self.insert(connection, key, self.logger) }
            for key in integration.platformKeys { try await Self.insert(connection, key, self.logger) }
            for webhook in integration.webhooks { try await Self.insert(connection, webhook, self.logger) }
            return try await Self.integration(connection, id: id, self.logger)!
        }
    }

    /// Creates or updates a seeded integration: same id, name, flags and customer keys; a platform key is kept unless one is given.
    /// Its webhooks are matched by name (a `""` token keeps the stored one, or gets `newWebhookToken()` when new).
    public func seedIntegration(
        _ seed: StoredIntegration, generatePlatformKey: @Sendable () throws -> PlatformKeyRecord, newWebhookToken: @Sendable () -> String
    ) async throws -> StoredIntegration {
        // Generated before the transaction (the closures do not escape), and only for an integration that has no platform key.
        let needsKey = seed.platformKeys.isEmpty ? try await integration(id: seed.record.id)?.currentPlatformKey == nil : false
        let generatedKey = needsKey ? try generatePlatformKey() : nil
        let tokens = seed.webhooks.map { $0.verificationToken.isEmpty ? newWebhookToken() : $0.verificationToken }
        return try await transaction { connection in
            let id = seed.record.id
            // Two instances seeding at once: the second waits for the first's row.
            try await connection.query("SELECT pg_advisory_xact_lock(hashtext(\("seed:" + id)))", logger: self.logger)
            if try await Self.integrationExists(connection, id, self.logger) {
                try await connection.query("""
                    UPDATE integrations SET name = \(seed.record.name), auth_required = \(Int64(seed.record.authRequired ? 1 : 0)),
                        session_timeout = \(Int64(seed.record.sessionTimeout)) WHERE id = \(id)
                    """, logger: self.logger)
            } else {
                try await Self.insert(connection, seed.record, self.logger)
            }
            try await connection.query("DELETE FROM customer_keys WHERE integration_id = \(id) AND NOT (kid = ANY(\(seed.customerKeys.map(\.kid))))",
                                       logger: self.logger)
            for key in seed.customerKeys { try await Self.insert(connection, key, self.logger) }
            let current = try await Self.integration(connection, id: id, self.logger)?.currentPlatformKey
            if let wanted = seed.platformKeys.first {
                if current?.kid != wanted.kid {
                    try await connection.query("DELETE FROM platform_keys WHERE integration_id = \(id)", logger: self.logger)
                    try await Self.insert(connection, wanted, self.logger)
                }
            } else if current == nil, let generatedKey {
                try await Self.insert(connection, generatedKey, self.logger)
            }
            let existing = try await Self.webhooks(connection, integrationId: id, self.logger)
            for (index, var webhook) in seed.webhooks.enumerated() {
                if let stored = existing.first(where: { $0.name == webhook.name }) {
                    webhook.id = stored.id
                    webhook.createdAt = stored.createdAt
                    if webhook.verificationToken.isEmpty { webhook.verificationToken = stored.verificationToken }
                    try await Self.checkRoom(connection, for: webhook, replacing: stored.id, self.logger)
                    try await connection.query("""
                        UPDATE webhooks SET type = \(webhook.type), url = \(webhook.url), verification_token = \(webhook.verificationToken),
                            custom_headers = \(webhook.customHeaders) WHERE id = \(stored.id)
                        """, logger: self.logger)
                } else {
                    webhook.verificationToken = tokens[index]
                    try await Self.checkRoom(connection, for: webhook, replacing: nil, self.logger)
                    try await Self.insert(connection, webhook, self.logger)
                }
            }
            return try await Self.integration(connection, id: id, self.logger)!
        }
    }

    /// Changes name, auth_required and/or session_timeout.
    public func updateIntegration(id: String, name: String?, authRequired: Bool?, sessionTimeout: Int?) async throws -> StoredIntegration {
        try await transaction { connection in
            guard var record = try await Self.integration(connection, id: id, self.logger)?.record else { throw StoreError.integrationNotFound(id) }
            if let name { record.name = name }
            if let authRequired { record.authRequired = authRequired }
            if let sessionTimeout { record.sessionTimeout = sessionTimeout }
            try await connection.query("""
                UPDATE integrations SET name = \(record.name), auth_required = \(Int64(record.authRequired ? 1 : 0)),
                    session_timeout = \(Int64(record.sessionTimeout)) WHERE id = \(id)
                """, logger: self.logger)
            return try await Self.integration(connection, id: id, self.logger)!
        }
    }

    /// Deletes an integration; its keys, sessions, messages and events go too.
    public func deleteIntegration(id: String) async throws {
        try await transaction { connection in
            let deleted = try await connection.query("DELETE FROM integrations WHERE id = \(id) RETURNING id", logger: self.logger)
                .decode(String.self).reduce(0) { count, _ in count + 1 }
            guard deleted == 1 else { throw StoreError.integrationNotFound(id) }
            try await connection.query("DELETE FROM messages WHERE integration_id = \(id)", logger: self.logger)
            try await connection.query("DELETE FROM events WHERE integration_id = \(id)", logger: self.logger)
        }
    }

    /// Replaces every customer key (`replace`) or adds one (rotation); a key already present is kept as it was.
    public func setCustomerKeys(integrationId id: String, keys: [CustomerKeyRecord], replace: Bool) async throws -> StoredIntegration {
        try await transaction { connection in
            guard try await Self.integrationExists(connection, id, self.logger) else { throw StoreError.integrationNotFound(id) }
            if replace {
                try await connection.query("DELETE FROM customer_keys WHERE integration_id = \(id) AND NOT (kid = ANY(\(keys.map(\.kid))))",
                                           logger: self.logger)
            }
            for key in keys { try await Self.insert(connection, key, self.logger) }
            return try await Self.integration(connection, id: id, self.logger)!
        }
    }

    /// Removes one customer key.
    public func deleteCustomerKey(integrationId id: String, kid: String) async throws -> StoredIntegration {
        try await transaction { connection in
            guard try await Self.integrationExists(connection, id, self.logger) else { throw StoreError.integrationNotFound(id) }
            let deleted = try await connection.query("DELETE FROM customer_keys WHERE integration_id = \(id) AND kid = \(kid) RETURNING kid",
                                                     logger: self.logger).decode(String.self).reduce(0) { count, _ in count + 1 }
            guard deleted == 1 else { throw StoreError.keyNotFound(kid) }
            return try await Self.integration(connection, id: id, self.logger)!
        }
    }

    /// Makes `newKey` current; the current key becomes the previous one and any older one is dropped.
    public func rotatePlatformKey(integrationId id: String, newKey: PlatformKeyRecord) async throws -> StoredIntegration {
        try await transaction { connection in
            guard try await Self.integrationExists(connection, id, self.logger) else { throw StoreError.integrationNotFound(id) }
            try await connection.query("DELETE FROM platform_keys WHERE integration_id = \(id) AND is_current = 0", logger: self.logger)
            try await connection.query("UPDATE platform_keys SET is_current = 0 WHERE integration_id = \(id)", logger: self.logger)
            try await Self.insert(connection, newKey, self.logger)
            return try await Self.integration(connection, id: id, self.logger)!
        }
    }

    /// One integration with its keys and webhooks, or nil (read from the database every time: another instance may have changed it).
    public func integration(id: String) async throws -> StoredIntegration? {
        try await client.withConnection { connection in try await Self.integration(connection, id: id, self.logger) }
    }

    /// Every integration, oldest first.
    public func integrations() async throws -> [StoredIntegration] {
        try await client.withConnection { connection in
            var ids: [String] = []
            for try await id in try await connection.query("SELECT id FROM integrations ORDER BY created_at, id", logger: self.logger)
                .decode(String.self) { ids.append(id) }
            var all: [StoredIntegration] = []
            for id in ids { if let stored = try await Self.integration(connection, id: id, self.logger) { all.append(stored) } }
            return all
        }
    }

    /// How many integrations there are.
    public func integrationCount() async throws -> Int {
        try await client.withConnection { connection in
            var count = 0
            for try await value in try await connection.query("SELECT COUNT(*) FROM integrations", logger: self.logger).decode(Int64.self) {
                count = Int(value)
            }
            return count
        }
    }

    // MARK: Rows

    static func integrationExists(_ connection: PostgresConnection, _ id: String, _ logger: Logger) async throws -> Bool {
        try await connection.query("SELECT 1 FROM integrations WHERE id = \(id)", logger: logger).decode(Int32.self)
            .reduce(false) { _, _ in true }
    }

    /// The integration with its keys and webhooks in one round trip (every request reads it: nothing is cached per process).
    /// One row per part — 0 the integration, 1 a customer key, 2 a platform key, 3 a webhook — ordered here as SQLite orders them.
    static func integration(_ connection: PostgresConnection, id: String, _ logger: Logger) async throws -> StoredIntegration? {
        var record: IntegrationRecord?
        var customer: [CustomerKeyRecord] = [], platform: [PlatformKeyRecord] = [], webhooks: [(WebhookRecord, Int64)] = []
        let rows = try await connection.query("""
            SELECT 0::bigint, name, NULL::text, NULL::text, NULL::text, NULL::text, NULL::text, auth_required::bigint, session_timeout::bigint, created_at, 0::bigint
              FROM integrations WHERE id = \(id)
            UNION ALL SELECT 1, kid, public_key_pem, fingerprint_sha256, NULL, NULL, NULL, bits::bigint, 0, added_at, 0
              FROM customer_keys WHERE integration_id = \(id)
            UNION ALL SELECT 2, kid, private_key_pem, NULL, NULL, NULL, NULL, bits::bigint, is_current::bigint, created_at, 0
              FROM platform_keys WHERE integration_id = \(id)
            UNION ALL SELECT 3, id, name, type, url, verification_token, custom_headers, 0, 0, created_at, position
              FROM webhooks WHERE integration_id = \(id)
            """, logger: logger)
        for try await (part, a, b, c, d, e, f, n1, n2, time, position) in rows.decode(
            (Int64, String, String?, String?, String?, String?, String?, Int64, Int64, Double, Int64).self
        ) {
            switch part {
            case 0: record = IntegrationRecord(id: id, name: a, authRequired: n1 != 0, sessionTimeout: Int(n2), createdAt: time)
            case 1: customer.append(CustomerKeyRecord(integrationId: id, kid: a, publicKeyPEM: b ?? "", fingerprintSHA256: c ?? "",
                                                      bits: Int(n1), addedAt: time))
            case 2: platform.append(PlatformKeyRecord(integrationId: id, kid: a, privateKeyPEM: b ?? "", bits: Int(n1), isCurrent: n2 != 0,
                                                      createdAt: time))
            default: webhooks.append((WebhookRecord(id: a, integrationId: id, name: b ?? "", type: c ?? "", url: d ?? "",
                                                    verificationToken: e ?? "", customHeaders: f ?? "", createdAt: time), position))
            }
        }
        guard let record else { return nil }
        customer.sort { ($0.addedAt, $0.kid) < ($1.addedAt, $1.kid) }
        platform.sort { ($0.isCurrent ? 1 : 0, $0.createdAt) > ($1.isCurrent ? 1 : 0, $1.createdAt) }
        webhooks.sort { ($0.0.createdAt, $0.1) < ($1.0.createdAt, $1.1) }
        return StoredIntegration(record: record, customerKeys: customer, platformKeys: platform, webhooks: webhooks.map(\.0))
    }

    static func insert(_ connection: PostgresConnection, _ record: IntegrationRecord, _ logger: Logger) async throws {
        try await connection.query("""
            INSERT INTO integrations (id, name, auth_required, session_timeout, created_at)
            VALUES (\(record.id), \(record.name), \(Int64(record.authRequired ? 1 : 0)), \(Int64(record.sessionTimeout)), \(record.createdAt))
            """, logger: logger)
    }

    static func insert(_ connection: PostgresConnection, _ key: CustomerKeyRecord, _ logger: Logger) async throws {
        try await connection.query("""
            INSERT INTO customer_keys (integration_id, kid, public_key_pem, fingerprint_sha256, bits, added_at)
            VALUES (\(key.integrationId), \(key.kid), \(key.publicKeyPEM), \(key.fingerprintSHA256), \(Int64(key.bits)), \(key.addedAt))
            ON CONFLICT (integration_id, kid) DO NOTHING
            """, logger: logger)
    }

    static func insert(_ connection: PostgresConnection, _ key: PlatformKeyRecord, _ logger: Logger) async throws {
        try await connection.query("""
            INSERT INTO platform_keys (integration_id, kid, private_key_pem, bits, is_current, created_at)
            VALUES (\(key.integrationId), \(key.kid), \(key.privateKeyPEM), \(Int64(key.bits)), \(Int64(key.isCurrent ? 1 : 0)), \(key.createdAt))
            """, logger: logger)
    }
}
