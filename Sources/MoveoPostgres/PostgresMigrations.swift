import Logging
import MoveoStore
import PostgresNIO

/// The PostgreSQL schema in named steps with the same names as SQLite's (`AppDatabase+Migrations.swift`), each creating
/// what its SQLite namesake created (integers and flags as BIGINT, times as DOUBLE PRECISION seconds, as in SQLite;
/// `webhooks.position` stands in for SQLite's rowid, which orders webhooks created in the same instant).
/// Run under an advisory lock, so instances that start together migrate once.
enum PostgresMigrations {
    /// The lock every migrating instance takes (an arbitrary constant: "moveo" in ASCII).
    static let advisoryLock: Int64 = 0x6D_6F76_656F

    /// The steps, in order: name, then statements.
    static let steps: [(name: String, statements: [String])] = [
        ("v1", [
            "CREATE TABLE settings (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL)",
            """
            CREATE TABLE integrations (id TEXT PRIMARY KEY NOT NULL, name TEXT NOT NULL, auth_required BIGINT NOT NULL,
                session_timeout BIGINT NOT NULL, created_at DOUBLE PRECISION NOT NULL)
            """,
            """
            CREATE TABLE customer_keys (integration_id TEXT NOT NULL REFERENCES integrations(id) ON DELETE CASCADE, kid TEXT NOT NULL,
                public_key_pem TEXT NOT NULL, fingerprint_sha256 TEXT NOT NULL, bits BIGINT NOT NULL, added_at DOUBLE PRECISION NOT NULL,
                PRIMARY KEY (integration_id, kid))
            """,
            """
            CREATE TABLE platform_keys (integration_id TEXT NOT NULL REFERENCES integrations(id) ON DELETE CASCADE, kid TEXT NOT NULL,
                private_key_pem TEXT NOT NULL, bits BIGINT NOT NULL, is_current BIGINT NOT NULL, created_at DOUBLE PRECISION NOT NULL,
                PRIMARY KEY (integration_id, kid))
            """,
            """
            CREATE TABLE sessions (id TEXT PRIMARY KEY NOT NULL, integration_id TEXT NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
                authenticated BIGINT NOT NULL, external_id TEXT, issuer TEXT, context TEXT, created_at DOUBLE PRECISION NOT NULL,
                last_seen_at DOUBLE PRECISION NOT NULL, message_count BIGINT NOT NULL DEFAULT 0)
            """,
            "CREATE INDEX sessions_by_time ON sessions(created_at, id)",
            """
            CREATE TABLE messages (id TEXT PRIMARY KEY NOT NULL, session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
                integration_id TEXT NOT NULL, external_id TEXT, role TEXT NOT NULL CHECK (role IN ('user', 'assistant')), text TEXT NOT NULL,
                created_at DOUBLE PRECISION NOT NULL, seq BIGINT NOT NULL)
            """,
            "CREATE INDEX messages_by_session ON messages(session_id, seq)",
            "CREATE INDEX messages_by_integration ON messages(integration_id, created_at)",
            """
            CREATE TABLE events (id TEXT PRIMARY KEY NOT NULL, at DOUBLE PRECISION NOT NULL, integration_id TEXT, session_id TEXT,
                action TEXT NOT NULL, outcome TEXT NOT NULL CHECK (outcome IN ('accepted', 'rejected')), code TEXT, detail TEXT NOT NULL,
                iss TEXT, sub TEXT)
            """,
            "CREATE INDEX events_by_time ON events(at, id)",
        ]),
        ("v2-webhooks", [
            "ALTER TABLE integrations ADD COLUMN webhook_url TEXT, ADD COLUMN webhook_secret TEXT",
            """
            CREATE TABLE webhook_deliveries (id TEXT PRIMARY KEY NOT NULL, session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
                integration_id TEXT NOT NULL, at DOUBLE PRECISION NOT NULL, event TEXT NOT NULL, url TEXT NOT NULL, request_id TEXT NOT NULL,
                status BIGINT, duration_ms DOUBLE PRECISION NOT NULL, signature_verified BIGINT NOT NULL,
                outcome TEXT NOT NULL CHECK (outcome IN ('ok', 'failed')), error TEXT)
            """,
            "CREATE INDEX webhook_deliveries_by_session ON webhook_deliveries(session_id, at)",
        ]),
        ("v3-context-layers", [
            """
            ALTER TABLE sessions ADD COLUMN public_context TEXT, ADD COLUMN variables TEXT, ADD COLUMN locale TEXT NOT NULL DEFAULT 'en',
                ADD COLUMN ended_at DOUBLE PRECISION
            """,
        ]),
        ("v4-webhook-types", [
            """
            CREATE TABLE webhooks (id TEXT PRIMARY KEY NOT NULL, integration_id TEXT NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
                name TEXT NOT NULL, type TEXT NOT NULL CHECK (type IN ('dialog', 'first_message', 'pre_message', 'post_message')),
                url TEXT NOT NULL, verification_token TEXT NOT NULL, custom_headers TEXT NOT NULL DEFAULT '{}',
                created_at DOUBLE PRECISION NOT NULL, position BIGSERIAL NOT NULL, UNIQUE (integration_id, name))
            """,
            "CREATE UNIQUE INDEX webhooks_one_per_event_type ON webhooks(integration_id, type) WHERE type <> 'dialog'",
            """
            INSERT INTO webhooks (id, integration_id, name, type, url, verification_token, custom_headers, created_at)
                SELECT 'wh_' || substr(md5(random()::text), 1, 24), id, 'default', 'dialog', webhook_url, webhook_secret, '{}', created_at
                FROM integrations WHERE webhook_url IS NOT NULL AND webhook_secret IS NOT NULL
            """,
            "UPDATE integrations SET webhook_url = NULL, webhook_secret = NULL",
            """
            ALTER TABLE webhook_deliveries ADD COLUMN webhook_id TEXT, ADD COLUMN type TEXT, ADD COLUMN ignored TEXT NOT NULL DEFAULT '[]',
                ADD COLUMN responses TEXT
            """,
            "INSERT INTO settings (key, value) VALUES ('account_id', gen_random_uuid()::text) ON CONFLICT (key) DO NOTHING",
        ]),
        ("v5-signer-lint", [
            """
            CREATE TABLE lint_fingerprints (integration_id TEXT NOT NULL REFERENCES integrations(id) ON DELETE CASCADE, seq BIGINT NOT NULL,
                at DOUBLE PRECISION NOT NULL, key_hash TEXT NOT NULL, iv_hash TEXT NOT NULL, token_hash TEXT NOT NULL,
                for_session BIGINT NOT NULL, PRIMARY KEY (integration_id, seq))
            """,
            "CREATE INDEX lint_fingerprints_by_key ON lint_fingerprints(integration_id, key_hash)",
            "CREATE INDEX lint_fingerprints_by_iv ON lint_fingerprints(integration_id, iv_hash)",
            "CREATE INDEX lint_fingerprints_by_token ON lint_fingerprints(integration_id, token_hash)",
            """
            CREATE TABLE lint_lifetimes (integration_id TEXT NOT NULL REFERENCES integrations(id) ON DELETE CASCADE, seq BIGINT NOT NULL,
                at DOUBLE PRECISION NOT NULL, seconds DOUBLE PRECISION NOT NULL, PRIMARY KEY (integration_id, seq))
            """,
            "CREATE INDEX lint_lifetimes_by_seconds ON lint_lifetimes(integration_id, seconds)",
            """
            CREATE TABLE lint_counters (integration_id TEXT NOT NULL REFERENCES integrations(id) ON DELETE CASCADE, name TEXT NOT NULL,
                count BIGINT NOT NULL, first_at DOUBLE PRECISION NOT NULL, last_at DOUBLE PRECISION NOT NULL, detail TEXT NOT NULL DEFAULT '',
                PRIMARY KEY (integration_id, name))
            """,
        ]),
        ("v6-growth", [
            "CREATE INDEX sessions_by_integration ON sessions(integration_id, created_at, id)",
            "CREATE INDEX sessions_by_user ON sessions(integration_id, external_id, created_at, id)",
            "CREATE INDEX sessions_by_external_id ON sessions(external_id, created_at, id)",
            "CREATE INDEX sessions_by_activity ON sessions(last_seen_at)",
            "CREATE INDEX events_by_integration ON events(integration_id, at, id)",
            "CREATE INDEX events_by_session ON events(session_id, at, id)",
            "CREATE INDEX events_by_outcome ON events(outcome, at, id)",
            "CREATE INDEX events_by_integration_outcome ON events(integration_id, outcome, at, id)",
            "CREATE INDEX events_by_sub ON events(integration_id, sub)",
            "CREATE INDEX messages_by_user ON messages(integration_id, external_id, created_at)",
            """
            CREATE TABLE usage_months (integration_id TEXT NOT NULL REFERENCES integrations(id) ON DELETE CASCADE, month TEXT NOT NULL,
                sessions BIGINT NOT NULL, messages BIGINT NOT NULL, active_users BIGINT NOT NULL, PRIMARY KEY (integration_id, month))
            """,
            """
            CREATE TABLE usage_users (integration_id TEXT NOT NULL REFERENCES integrations(id) ON DELETE CASCADE, month TEXT NOT NULL,
                sub TEXT NOT NULL, PRIMARY KEY (integration_id, month, sub))
            """,
        ]),
    ]

    /// The step names, in order (the same as SQLite's).
    static var names: [String] { steps.map(\.name) }

    /// Brings the database up to date under the advisory lock; refuses one a newer binary migrated. Returns the steps this call ran.
    @discardableResult
    static func migrate(_ connection: PostgresConnection, location: String, logger: Logger) async throws -> [String] {
        try await connection.query("SELECT pg_advisory_lock(\(advisoryLock))", logger: logger)
        do {
            let ran = try await migrateLocked(connection, location: location, logger: logger)
            try await connection.query("SELECT pg_advisory_unlock(\(advisoryLock))", logger: logger)
            return ran
        } catch {
            _ = try? await connection.query("SELECT pg_advisory_unlock(\(advisoryLock))", logger: logger)
            throw error
        }
    }

    private static func migrateLocked(_ connection: PostgresConnection, location: String, logger: Logger) async throws -> [String] {
        try await connection.query("""
            CREATE TABLE IF NOT EXISTS moveo_migrations (identifier TEXT PRIMARY KEY NOT NULL,
                applied_at TIMESTAMPTZ NOT NULL DEFAULT now())
            """, logger: logger)
        var applied: Set<String> = []
        for try await identifier in try await connection.query("SELECT identifier FROM moveo_migrations", logger: logger).decode(String.self) {
            applied.insert(identifier)
        }
        let unknown = applied.subtracting(names)
        guard unknown.isEmpty else { throw StoreOpenError.newerSchema(location: location, unknownMigrations: unknown.sorted()) }
        var ran: [String] = []
        for step in steps where !applied.contains(step.name) {
            let name = step.name
            try await connection.withTransaction(logger: logger) { connection in
                for statement in step.statements { try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger) }
                try await connection.query("INSERT INTO moveo_migrations (identifier) VALUES (\(name))", logger: logger)
            }
            ran.append(name)
        }
        return ran
    }
}
