import GRDB

// MARK: - Named migrations (never edited once shipped; Database/schema.sql mirrors their result)

extension AppDatabase {
    /// The migrator that builds the schema, one named step at a time.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE settings (
                    key TEXT PRIMARY KEY NOT NULL,
                    value TEXT NOT NULL
                );
                CREATE TABLE integrations (
                    id TEXT PRIMARY KEY NOT NULL,
                    name TEXT NOT NULL,
                    auth_required INTEGER NOT NULL,
                    session_timeout INTEGER NOT NULL,
                    created_at REAL NOT NULL
                );
                CREATE TABLE customer_keys (
                    integration_id TEXT NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
                    kid TEXT NOT NULL,
                    public_key_pem TEXT NOT NULL,
                    fingerprint_sha256 TEXT NOT NULL,
                    bits INTEGER NOT NULL,
                    added_at REAL NOT NULL,
                    PRIMARY KEY (integration_id, kid)
                );
                CREATE TABLE platform_keys (
                    integration_id TEXT NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
                    kid TEXT NOT NULL,
                    private_key_pem TEXT NOT NULL,
                    bits INTEGER NOT NULL,
                    is_current INTEGER NOT NULL,
                    created_at REAL NOT NULL,
                    PRIMARY KEY (integration_id, kid)
                );
                CREATE TABLE sessions (
                    id TEXT PRIMARY KEY NOT NULL,
                    integration_id TEXT NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
                    authenticated INTEGER NOT NULL,
                    external_id TEXT,
                    issuer TEXT,
                    context TEXT,
                    created_at REAL NOT NULL,
                    last_seen_at REAL NOT NULL,
                    message_count INTEGER NOT NULL DEFAULT 0
                );
                CREATE INDEX sessions_by_time ON sessions(created_at, id);
                CREATE INDEX sessions_by_integration ON sessions(integration_id, created_at);
                CREATE INDEX sessions_by_user ON sessions(integration_id, external_id);
                CREATE TABLE messages (
                    id TEXT PRIMARY KEY NOT NULL,
                    session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
                    integration_id TEXT NOT NULL,
                    external_id TEXT,
                    role TEXT NOT NULL CHECK (role IN ('user', 'assistant')),
                    text TEXT NOT NULL,
                    created_at REAL NOT NULL,
                    seq INTEGER NOT NULL
                );
                CREATE INDEX messages_by_session ON messages(session_id, seq);
                CREATE INDEX messages_by_integration ON messages(integration_id, created_at);
                CREATE TABLE events (
                    id TEXT PRIMARY KEY NOT NULL,
                    at REAL NOT NULL,
                    integration_id TEXT,
                    session_id TEXT,
                    action TEXT NOT NULL,
                    outcome TEXT NOT NULL CHECK (outcome IN ('accepted', 'rejected')),
                    code TEXT,
                    detail TEXT NOT NULL,
                    iss TEXT,
                    sub TEXT
                );
                CREATE INDEX events_by_time ON events(at, id);
                CREATE INDEX events_by_integration ON events(integration_id, at);
                CREATE INDEX events_by_session ON events(session_id, at);
                """)
        }
        migrator.registerMigration("v2-webhooks") { db in
            try db.execute(sql: """
                ALTER TABLE integrations ADD COLUMN webhook_url TEXT;
                ALTER TABLE integrations ADD COLUMN webhook_secret TEXT;
                CREATE TABLE webhook_deliveries (
                    id TEXT PRIMARY KEY NOT NULL,
                    session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
                    integration_id TEXT NOT NULL,
                    at REAL NOT NULL,
                    event TEXT NOT NULL,
                    url TEXT NOT NULL,
                    request_id TEXT NOT NULL,
                    status INTEGER,
                    duration_ms REAL NOT NULL,
                    signature_verified INTEGER NOT NULL,
                    outcome TEXT NOT NULL CHECK (outcome IN ('ok', 'failed')),
                    error TEXT
                );
                CREATE INDEX webhook_deliveries_by_session ON webhook_deliveries(session_id, at);
                """)
        }
        migrator.registerMigration("v3-context-layers") { db in
            try db.execute(sql: """
                ALTER TABLE sessions ADD COLUMN public_context TEXT;
                ALTER TABLE sessions ADD COLUMN variables TEXT;
                ALTER TABLE sessions ADD COLUMN locale TEXT NOT NULL DEFAULT 'en';
                ALTER TABLE sessions ADD COLUMN ended_at REAL;
                """)
        }
        migrator.registerMigration("v4-webhook-types") { db in
            try db.execute(sql: """
                CREATE TABLE webhooks (
                    id TEXT PRIMARY KEY NOT NULL,
                    integration_id TEXT NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
                    name TEXT NOT NULL,
                    type TEXT NOT NULL CHECK (type IN ('dialog', 'first_message', 'pre_message', 'post_message')),
                    url TEXT NOT NULL,
                    verification_token TEXT NOT NULL,
                    custom_headers TEXT NOT NULL DEFAULT '{}',
                    created_at REAL NOT NULL,
                    UNIQUE (integration_id, name)
                );
                CREATE UNIQUE INDEX webhooks_one_per_event_type ON webhooks(integration_id, type) WHERE type != 'dialog';
                INSERT INTO webhooks (id, integration_id, name, type, url, verification_token, custom_headers, created_at)
                    SELECT 'wh_' || lower(hex(randomblob(12))), id, 'default', 'dialog', webhook_url, webhook_secret, '{}', created_at
                    FROM integrations WHERE webhook_url IS NOT NULL AND webhook_secret IS NOT NULL;
                UPDATE integrations SET webhook_url = NULL, webhook_secret = NULL;
                ALTER TABLE webhook_deliveries ADD COLUMN webhook_id TEXT;
                ALTER TABLE webhook_deliveries ADD COLUMN type TEXT;
                ALTER TABLE webhook_deliveries ADD COLUMN ignored TEXT NOT NULL DEFAULT '[]';
                ALTER TABLE webhook_deliveries ADD COLUMN responses TEXT;
                INSERT OR IGNORE INTO settings (key, value) VALUES ('account_id', lower(
                    hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' ||
                    substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6))));
                """)
        }
        migrator.registerMigration("v5-signer-lint") { db in
            try db.execute(sql: """
                CREATE TABLE lint_fingerprints (
                    integration_id TEXT NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
                    seq INTEGER NOT NULL,
                    at REAL NOT NULL,
                    key_hash TEXT NOT NULL,
                    iv_hash TEXT NOT NULL,
                    token_hash TEXT NOT NULL,
                    for_session INTEGER NOT NULL,
                    PRIMARY KEY (integration_id, seq)
                );
                CREATE INDEX lint_fingerprints_by_key ON lint_fingerprints(integration_id, key_hash);
                CREATE INDEX lint_fingerprints_by_iv ON lint_fingerprints(integration_id, iv_hash);
                CREATE INDEX lint_fingerprints_by_token ON lint_fingerprints(integration_id, token_hash);
                CREATE TABLE lint_lifetimes (
                    integration_id TEXT NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
                    seq INTEGER NOT NULL,
                    at REAL NOT NULL,
                    seconds REAL NOT NULL,
                    PRIMARY KEY (integration_id, seq)
                );
                CREATE INDEX lint_lifetimes_by_seconds ON lint_lifetimes(integration_id, seconds);
                CREATE TABLE lint_counters (
                    integration_id TEXT NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
                    name TEXT NOT NULL,
                    count INTEGER NOT NULL,
                    first_at REAL NOT NULL,
                    last_at REAL NOT NULL,
                    detail TEXT NOT NULL DEFAULT '',
                    PRIMARY KEY (integration_id, name)
                );
                """)
        }
        migrator.registerMigration("v6-growth") { db in
            // Every admin list, deletion and usage figure is an index range (CONTRACT §13): each list's filters, then its
            // newest-first order, so a page reads its rows and no more. The usage figures become a tally.
            try db.execute(sql: """
                DROP INDEX sessions_by_integration;
                DROP INDEX sessions_by_user;
                CREATE INDEX sessions_by_integration ON sessions(integration_id, created_at, id);
                CREATE INDEX sessions_by_user ON sessions(integration_id, external_id, created_at, id);
                CREATE INDEX sessions_by_external_id ON sessions(external_id, created_at, id);
                CREATE INDEX sessions_by_activity ON sessions(last_seen_at);
                DROP INDEX events_by_integration;
                DROP INDEX events_by_session;
                CREATE INDEX events_by_integration ON events(integration_id, at, id);
                CREATE INDEX events_by_session ON events(session_id, at, id);
                CREATE INDEX events_by_outcome ON events(outcome, at, id);
                CREATE INDEX events_by_integration_outcome ON events(integration_id, outcome, at, id);
                CREATE INDEX events_by_sub ON events(integration_id, sub);
                CREATE INDEX messages_by_user ON messages(integration_id, external_id, created_at);
                CREATE TABLE usage_months (
                    integration_id TEXT NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
                    month TEXT NOT NULL,
                    sessions INTEGER NOT NULL,
                    messages INTEGER NOT NULL,
                    active_users INTEGER NOT NULL,
                    PRIMARY KEY (integration_id, month)
                );
                CREATE TABLE usage_users (
                    integration_id TEXT NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
                    month TEXT NOT NULL,
                    sub TEXT NOT NULL,
                    PRIMARY KEY (integration_id, month, sub)
                );
                INSERT INTO usage_users (integration_id, month, sub)
                    SELECT integration_id, strftime('%Y-%m', created_at, 'unixepoch'), external_id FROM sessions WHERE external_id IS NOT NULL
                    UNION SELECT integration_id, strftime('%Y-%m', created_at, 'unixepoch'), external_id FROM messages
                        WHERE role = 'user' AND external_id IS NOT NULL;
                INSERT INTO usage_months (integration_id, month, sessions, messages, active_users)
                    SELECT integration_id, month, SUM(s), SUM(m), 0 FROM (
                        SELECT integration_id, strftime('%Y-%m', created_at, 'unixepoch') AS month, COUNT(*) AS s, 0 AS m FROM sessions
                            GROUP BY integration_id, month
                        UNION ALL SELECT integration_id, strftime('%Y-%m', created_at, 'unixepoch'), 0, COUNT(*) FROM messages
                            GROUP BY integration_id, strftime('%Y-%m', created_at, 'unixepoch'))
                    GROUP BY integration_id, month;
                UPDATE usage_months SET active_users = (SELECT COUNT(*) FROM usage_users u
                    WHERE u.integration_id = usage_months.integration_id AND u.month = usage_months.month);
                """)
        }
        return migrator
    }
}
