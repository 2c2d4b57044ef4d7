-- The schema the named migrations create (Sources/MoveoStore/AppDatabase+Migrations.swift).
-- Kept equal to them by MoveoStoreTests; regenerate it when a migration is added.

CREATE TABLE customer_keys (
    integration_id TEXT NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
    kid TEXT NOT NULL,
    public_key_pem TEXT NOT NULL,
    fingerprint_sha256 TEXT NOT NULL,
    bits INTEGER NOT NULL,
    added_at REAL NOT NULL,
    PRIMARY KEY (integration_id, kid)
);

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

CREATE TABLE integrations (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    auth_required INTEGER NOT NULL,
    session_timeout INTEGER NOT NULL,
    created_at REAL NOT NULL
, webhook_url TEXT, webhook_secret TEXT);

CREATE TABLE lint_counters (
    integration_id TEXT NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    count INTEGER NOT NULL,
    first_at REAL NOT NULL,
    last_at REAL NOT NULL,
    detail TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (integration_id, name)
);

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

CREATE TABLE lint_lifetimes (
    integration_id TEXT NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    at REAL NOT NULL,
    seconds REAL NOT NULL,
    PRIMARY KEY (integration_id, seq)
);

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
, public_context TEXT, variables TEXT, locale TEXT NOT NULL DEFAULT 'en', ended_at REAL);

CREATE TABLE settings (
    key TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);

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
, webhook_id TEXT, type TEXT, ignored TEXT NOT NULL DEFAULT '[]', responses TEXT);

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

CREATE INDEX events_by_integration ON events(integration_id, at, id);

CREATE INDEX events_by_integration_outcome ON events(integration_id, outcome, at, id);

CREATE INDEX events_by_outcome ON events(outcome, at, id);

CREATE INDEX events_by_session ON events(session_id, at, id);

CREATE INDEX events_by_sub ON events(integration_id, sub);

CREATE INDEX events_by_time ON events(at, id);

CREATE INDEX lint_fingerprints_by_iv ON lint_fingerprints(integration_id, iv_hash);

CREATE INDEX lint_fingerprints_by_key ON lint_fingerprints(integration_id, key_hash);

CREATE INDEX lint_fingerprints_by_token ON lint_fingerprints(integration_id, token_hash);

CREATE INDEX lint_lifetimes_by_seconds ON lint_lifetimes(integration_id, seconds);

CREATE INDEX messages_by_integration ON messages(integration_id, created_at);

CREATE INDEX messages_by_session ON messages(session_id, seq);

CREATE INDEX messages_by_user ON messages(integration_id, external_id, created_at);

CREATE INDEX sessions_by_activity ON sessions(last_seen_at);

CREATE INDEX sessions_by_external_id ON sessions(external_id, created_at, id);

CREATE INDEX sessions_by_integration ON sessions(integration_id, created_at, id);

CREATE INDEX sessions_by_time ON sessions(created_at, id);

CREATE INDEX sessions_by_user ON sessions(integration_id, external_id, created_at, id);

CREATE INDEX webhook_deliveries_by_session ON webhook_deliveries(session_id, at);

CREATE UNIQUE INDEX webhooks_one_per_event_type ON webhooks(integration_id, type) WHERE type != 'dialog';
