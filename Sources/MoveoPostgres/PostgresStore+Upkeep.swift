import Logging
import MoveoStore
import PostgresNIO

// MARK: - Usage tally, signer lint memory, retention and reset on PostgreSQL (AppDatabase+Usage/+Lint/+Retention)

extension PostgresStore {
    /// The month (`YYYY-MM`, UTC) of a time in epoch seconds, in SQL.
    static func monthOf(_ placeholder: String) -> String { "to_char(to_timestamp(\(placeholder)) AT TIME ZONE 'UTC', 'YYYY-MM')" }

    /// Usage figures of one integration in a month (`YYYY-MM`): one row read.
    public func usage(integrationId: String, month: String) async throws -> (activeUsers: Int, sessions: Int, messages: Int) {
        try await client.withConnection { connection in
            var figures = (activeUsers: 0, sessions: 0, messages: 0)
            for try await (users, sessions, messages) in try await connection.query("""
                SELECT active_users, sessions, messages FROM usage_months WHERE integration_id = \(integrationId) AND month = \(month)
                """, logger: self.logger).decode((Int64, Int64, Int64).self) {
                figures = (Int(users), Int(sessions), Int(messages))
            }
            return figures
        }
    }

    /// Whether an earlier, different token of the integration used this AES key or IV, and whether this token created a session.
    public func lintSeen(_ probe: LintProbe) async throws -> LintSeen {
        try await client.withConnection { connection in try await Self.lintSeen(connection, probe, self.logger) }
    }

    /// Remembers a token verified outside a session (`/verify`).
    public func recordLint(_ observation: LintObservation) async throws {
        try await transaction { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(hashtext(\("lint:" + observation.integrationId)))", logger: self.logger)
            try await Self.recordLint(connection, observation, self.logger)
        }
    }

    /// The integration's counters, and its remembered lifetimes sorted ascending; `integrationNotFound` for an unknown id.
    public func lintReport(integrationId: String) async throws -> (counters: [LintCounter], lifetimes: [Double], fingerprints: Int) {
        try await client.withConnection { connection in
            guard try await Self.integrationExists(connection, integrationId, self.logger) else { throw StoreError.integrationNotFound(integrationId) }
            var counters: [LintCounter] = []
            for try await (name, count, first, last, detail) in try await connection.query("""
                SELECT name, count, first_at, last_at, detail FROM lint_counters WHERE integration_id = \(integrationId) ORDER BY name
                """, logger: self.logger).decode((String, Int64, Double, Double, String).self) {
                counters.append(LintCounter(name: name, count: Int(count), firstAt: first, lastAt: last, detail: detail))
            }
            var lifetimes: [Double] = []
            for try await seconds in try await connection.query(
                "SELECT seconds FROM lint_lifetimes WHERE integration_id = \(integrationId) ORDER BY seconds", logger: self.logger
            ).decode(Double.self) { lifetimes.append(seconds) }
            var fingerprints: Int64 = 0
            for try await count in try await connection.query(
                "SELECT COUNT(*) FROM lint_fingerprints WHERE integration_id = \(integrationId)", logger: self.logger
            ).decode(Int64.self) { fingerprints = count }
            return (counters, lifetimes, Int(fingerprints))
        }
    }

    /// Deletes sessions idle since before `cutoff` with their rows (out of the usage tally), then older events and lint memory;
    /// 500 sessions or events per transaction.
    public func sweep(before cutoff: Double) async throws -> (sessions: Int, messages: Int, events: Int) {
        var total = (sessions: 0, messages: 0, events: 0)
        while true {
            let removed = try await transaction { connection -> RemovedRows in
                var byIntegration: [String: [String]] = [:]
                for try await (id, integration) in try await connection.query("""
                    SELECT id, integration_id FROM sessions WHERE last_seen_at < \(cutoff) LIMIT \(Int64(AppDatabase.sweepBatch)) FOR UPDATE SKIP LOCKED
                    """, logger: self.logger).decode((String, String).self) { byIntegration[integration, default: []].append(id) }
                var removed = RemovedRows(sessions: 0, messages: 0)
                for (integrationId, ids) in byIntegration {
                    let counts = try await Self.removeSessions(connection, integrationId: integrationId, ids: ids, self.logger)
                    removed.sessions += counts.sessions
                    removed.messages += counts.messages
                }
                return removed
            }
            total.sessions += removed.sessions
            total.messages += removed.messages
            if removed.sessions < AppDatabase.sweepBatch { break }
        }
        while true {
            let removed = try await transaction { connection in
                try await connection.query("""
                    DELETE FROM events WHERE id IN (SELECT id FROM events WHERE at < \(cutoff) LIMIT \(Int64(AppDatabase.sweepBatch))) RETURNING id
                    """, logger: self.logger).decode(String.self).reduce(0) { count, _ in count + 1 }
            }
            total.events += removed
            if removed < AppDatabase.sweepBatch { break }
        }
        try await transaction { connection in
            try await connection.query("DELETE FROM lint_fingerprints WHERE at < \(cutoff)", logger: self.logger)
            try await connection.query("DELETE FROM lint_lifetimes WHERE at < \(cutoff)", logger: self.logger)
        }
        return total
    }

    /// Wipes sessions, messages and events (and the lint memory and usage); with `all`, integrations too (the admin token stays).
    public func reset(all: Bool) async throws {
        try await transaction { connection in
            for table in ["messages", "webhook_deliveries", "sessions", "events", "lint_fingerprints", "lint_lifetimes", "lint_counters", "usage_users", "usage_months"] {
                try await connection.query(PostgresQuery(unsafeSQL: "DELETE FROM \(table)"), logger: self.logger)
            }
            if all { try await connection.query("DELETE FROM integrations", logger: self.logger) }
        }
    }

    // MARK: Rows

    static func tallySession(_ connection: PostgresConnection, integrationId: String, externalId: String?, at: Double, _ logger: Logger) async throws {
        try await tally(connection, integrationId: integrationId, externalId: externalId, sessions: 1, messages: 0, at: at, logger)
    }

    static func tallyMessages(_ connection: PostgresConnection, integrationId: String, externalId: String?, count: Int, at: Double, _ logger: Logger) async throws {
        try await tally(connection, integrationId: integrationId, externalId: externalId, sessions: 0, messages: count, at: at, logger)
    }

    /// Adds to the month's usage in one statement: the counts, and one active user when `externalId` is new this month.
    private static func tally(
        _ connection: PostgresConnection, integrationId: String, externalId: String?, sessions: Int, messages: Int, at: Double, _ logger: Logger
    ) async throws {
        var binds = tallyBinds(integrationId, at)
        binds.append(Int64(sessions))
        binds.append(Int64(messages))
        binds.append(externalId)
        try await connection.query(PostgresQuery(unsafeSQL: """
            WITH new_user AS (
                INSERT INTO usage_users (integration_id, month, sub) SELECT $1, \(monthOf("$2")), $5::text WHERE $5::text IS NOT NULL
                ON CONFLICT DO NOTHING RETURNING sub)
            INSERT INTO usage_months (integration_id, month, sessions, messages, active_users)
            VALUES ($1, \(monthOf("$2")), $3, $4, (SELECT count(*) FROM new_user))
            ON CONFLICT (integration_id, month) DO UPDATE SET sessions = usage_months.sessions + excluded.sessions,
                messages = usage_months.messages + excluded.messages, active_users = usage_months.active_users + excluded.active_users
            """, binds: binds), logger: logger)
    }

    private static func tallyBinds(_ integrationId: String, _ at: Double) -> PostgresBindings {
        var binds = PostgresBindings()
        binds.append(integrationId)
        binds.append(at)
        return binds
    }

    /// Deletes sessions of one integration with their messages, deliveries and events, and takes them out of the tally.
    static func removeSessions(_ connection: PostgresConnection, integrationId: String, ids: [String], _ logger: Logger) async throws -> RemovedRows {
        guard !ids.isEmpty else { return RemovedRows(sessions: 0, messages: 0) }
        let month = monthOf("created_at")
        for try await (monthText, count) in try await connection.query(PostgresQuery(unsafeSQL: """
            SELECT \(month), COUNT(*) FROM sessions WHERE id = ANY($1) GROUP BY 1
            """, binds: arrayBinds(ids)), logger: logger).decode((String, Int64).self) {
            try await connection.query("""
                UPDATE usage_months SET sessions = GREATEST(0, sessions - \(count)) WHERE integration_id = \(integrationId) AND month = \(monthText)
                """, logger: logger)
        }
        var messages = 0
        for try await (monthText, count) in try await connection.query(PostgresQuery(unsafeSQL: """
            SELECT \(month), COUNT(*) FROM messages WHERE session_id = ANY($1) GROUP BY 1
            """, binds: arrayBinds(ids)), logger: logger).decode((String, Int64).self) {
            messages += Int(count)
            try await connection.query("""
                UPDATE usage_months SET messages = GREATEST(0, messages - \(count)) WHERE integration_id = \(integrationId) AND month = \(monthText)
                """, logger: logger)
        }
        var users: [(String, String)] = []
        for try await pair in try await connection.query(PostgresQuery(unsafeSQL: """
            SELECT DISTINCT \(month), external_id FROM sessions WHERE id = ANY($1) AND external_id IS NOT NULL
            UNION SELECT DISTINCT \(month), external_id FROM messages WHERE session_id = ANY($1) AND role = 'user' AND external_id IS NOT NULL
            """, binds: arrayBinds(ids)), logger: logger).decode((String, String).self) { users.append(pair) }
        try await connection.query("DELETE FROM messages WHERE session_id = ANY(\(ids))", logger: logger)
        try await connection.query("DELETE FROM events WHERE session_id = ANY(\(ids))", logger: logger)
        let sessions = try await connection.query("DELETE FROM sessions WHERE id = ANY(\(ids)) RETURNING id", logger: logger)
            .decode(String.self).reduce(0) { count, _ in count + 1 }
        for (monthText, sub) in users {
            var binds = PostgresBindings()
            binds.append(integrationId)
            binds.append(sub)
            binds.append(monthText)
            let still = try await connection.query(PostgresQuery(unsafeSQL: """
                SELECT 1 FROM sessions WHERE integration_id = $1 AND external_id = $2 AND \(month) = $3
                UNION ALL SELECT 1 FROM messages WHERE integration_id = $1 AND external_id = $2 AND role = 'user' AND \(month) = $3
                LIMIT 1
                """, binds: binds), logger: logger).decode(Int32.self).reduce(false) { _, _ in true }
            guard !still else { continue }
            let deleted = try await connection.query("""
                DELETE FROM usage_users WHERE integration_id = \(integrationId) AND month = \(monthText) AND sub = \(sub) RETURNING sub
                """, logger: logger).decode(String.self).reduce(false) { _, _ in true }
            if deleted {
                try await connection.query("""
                    UPDATE usage_months SET active_users = GREATEST(0, active_users - 1) WHERE integration_id = \(integrationId) AND month = \(monthText)
                    """, logger: logger)
            }
        }
        return RemovedRows(sessions: sessions, messages: messages)
    }

    private static func arrayBinds(_ ids: [String]) -> PostgresBindings {
        var binds = PostgresBindings()
        binds.append(ids)
        return binds
    }

    static func lintSeen(_ connection: PostgresConnection, _ probe: LintProbe, _ logger: Logger) async throws -> LintSeen {
        var seen: LintSeen = (false, false, false)
        // One round trip: the key and IV seen with another token (when the token carried them), the token seen making a session.
        for try await row in try await connection.query("""
            SELECT \(probe.keyHash)::text IS NOT NULL AND EXISTS (SELECT 1 FROM lint_fingerprints WHERE integration_id = \(probe.integrationId)
                       AND key_hash = \(probe.keyHash)::text AND token_hash <> \(probe.tokenHash)),
                   \(probe.ivHash)::text IS NOT NULL AND EXISTS (SELECT 1 FROM lint_fingerprints WHERE integration_id = \(probe.integrationId)
                       AND iv_hash = \(probe.ivHash)::text AND token_hash <> \(probe.tokenHash)),
                   EXISTS (SELECT 1 FROM lint_fingerprints WHERE integration_id = \(probe.integrationId) AND token_hash = \(probe.tokenHash)
                       AND for_session = 1)
            """, logger: logger).decode((Bool, Bool, Bool).self) { seen = row }
        return seen
    }

    /// Adds the observation's counters, its lifetime and (with a context) its fingerprints; forgets what is past the bound.
    /// Three statements: the counters in one upsert, then each memory's insert and trim in one.
    static func recordLint(_ connection: PostgresConnection, _ observation: LintObservation, _ logger: Logger) async throws {
        let id = observation.integrationId
        guard try await integrationExists(connection, id, logger) else { return }
        // A name listed twice adds two, and keeps the later detail (as one upsert per entry would).
        var counters: [(name: String, detail: String, count: Int64)] = []
        for counter in observation.counters {
            if let index = counters.firstIndex(where: { $0.name == counter.name }) {
                counters[index].count += 1
                counters[index].detail = counter.detail
            } else {
                counters.append((counter.name, counter.detail, 1))
            }
        }
        if !counters.isEmpty {
            var binds = PostgresBindings()
            binds.append(id)
            binds.append(observation.at)
            var rows: [String] = []
            for counter in counters {
                let first = binds.count + 1
                rows.append("($1, $\(first), $\(first + 2), $2, $2, $\(first + 1))")
                binds.append(counter.name)
                binds.append(counter.detail)
                binds.append(counter.count)
            }
            try await connection.query(PostgresQuery(unsafeSQL: """
                INSERT INTO lint_counters (integration_id, name, count, first_at, last_at, detail) VALUES \(rows.joined(separator: ", "))
                ON CONFLICT (integration_id, name) DO UPDATE SET count = lint_counters.count + excluded.count, last_at = excluded.last_at,
                    detail = excluded.detail
                """, binds: binds), logger: logger)
        }
        let memory = Int64(AppDatabase.lintMemory)
        // The next sequence number, the row, and the trim of what is past the bound (the trim does not see the new row).
        try await connection.query("""
            WITH added AS (
                INSERT INTO lint_lifetimes (integration_id, seq, at, seconds)
                SELECT \(id), COALESCE(MAX(seq), 0) + 1, \(observation.at), \(observation.lifetime) FROM lint_lifetimes WHERE integration_id = \(id)
                RETURNING seq)
            DELETE FROM lint_lifetimes WHERE integration_id = \(id) AND seq <= (SELECT seq FROM added) - \(memory)
            """, logger: logger)
        guard let keyHash = observation.keyHash, let ivHash = observation.ivHash else { return }
        try await connection.query("""
            WITH added AS (
                INSERT INTO lint_fingerprints (integration_id, seq, at, key_hash, iv_hash, token_hash, for_session)
                SELECT \(id), COALESCE(MAX(seq), 0) + 1, \(observation.at), \(keyHash), \(ivHash), \(observation.tokenHash),
                    \(Int64(observation.forSession ? 1 : 0))
                FROM lint_fingerprints WHERE integration_id = \(id)
                RETURNING seq)
            DELETE FROM lint_fingerprints WHERE integration_id = \(id) AND seq <= (SELECT seq FROM added) - \(memory)
            """, logger: logger)
    }
}

extension Optional {
    /// `map` with an async transform.
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}

extension PostgresStore: EmulatorStore {}
