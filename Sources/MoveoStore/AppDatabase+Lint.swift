import GRDB

// MARK: - The signer lint's memory (CONTRACT §15): bounded fingerprints, lifetimes and counters per integration

extension AppDatabase {
    /// How many context-carrying tokens (and lifetimes) are remembered per integration.
    public static let lintMemory = 10_000

    /// Whether an earlier, different token of the integration used this AES key or this IV, and whether this whole token created a
    /// session before (a replayed token's key and IV are its own, not a reuse).
    /// (Awaits a reader, never blocks a thread for one: see `session(id:)`.)
    public func lintSeen(_ probe: LintProbe) async throws -> LintSeen {
        try await dbWriter.unsafeRead { db in try Self.lintSeen(db, probe) }
    }

    /// `lintSeen` inside a transaction (session creation reads the memory in the same transaction that adds to it).
    static func lintSeen(_ db: Database, _ probe: LintProbe) throws -> LintSeen {
        func reused(_ column: String, _ value: String?) throws -> Bool {
            guard let value else { return false }
            let sql = "SELECT 1 FROM lint_fingerprints WHERE integration_id = ? AND \(column) = ? AND token_hash != ? LIMIT 1"
            return try Bool.fetchOne(db.cachedStatement(sql: sql), arguments: [probe.integrationId, value, probe.tokenHash]) != nil
        }
        let replayed = "SELECT 1 FROM lint_fingerprints WHERE integration_id = ? AND token_hash = ? AND for_session = 1 LIMIT 1"
        return (try reused("key_hash", probe.keyHash), try reused("iv_hash", probe.ivHash),
                try Bool.fetchOne(db.cachedStatement(sql: replayed), arguments: [probe.integrationId, probe.tokenHash]) != nil)
    }

    /// Remembers a token verified outside a session (`/verify`).
    public func recordLint(_ observation: LintObservation) async throws {
        try await batcher.write { db in try Self.recordLint(db, observation) }
    }

    /// Adds the observation's counters, its lifetime and (with a context) its fingerprints; forgets what is past the bound.
    static func recordLint(_ db: Database, _ observation: LintObservation) throws {
        let id = observation.integrationId
        guard try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM integrations WHERE id = ?"), arguments: [id]) != nil else { return }
        for counter in observation.counters {
            try db.cachedStatement(sql: """
                INSERT INTO lint_counters (integration_id, name, count, first_at, last_at, detail) VALUES (?, ?, 1, ?, ?, ?)
                ON CONFLICT (integration_id, name) DO UPDATE SET count = count + 1, last_at = excluded.last_at, detail = excluded.detail
                """).execute(arguments: [id, counter.name, observation.at, observation.at, counter.detail])
        }
        func next(_ table: String) throws -> Int64 {
            try Int64.fetchOne(db.cachedStatement(sql: "SELECT MAX(seq) FROM \(table) WHERE integration_id = ?"), arguments: [id]).map { $0 + 1 } ?? 1
        }
        let lifetimeSeq = try next("lint_lifetimes")
        try db.cachedStatement(sql: "INSERT INTO lint_lifetimes (integration_id, seq, at, seconds) VALUES (?, ?, ?, ?)")
            .execute(arguments: [id, lifetimeSeq, observation.at, observation.lifetime])
        try db.cachedStatement(sql: "DELETE FROM lint_lifetimes WHERE integration_id = ? AND seq <= ?")
            .execute(arguments: [id, lifetimeSeq - Int64(lintMemory)])
        guard let keyHash = observation.keyHash, let ivHash = observation.ivHash else { return }
        let seq = try next("lint_fingerprints")
        try db.cachedStatement(sql: """
            INSERT INTO lint_fingerprints (integration_id, seq, at, key_hash, iv_hash, token_hash, for_session) VALUES (?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [id, seq, observation.at, keyHash, ivHash, observation.tokenHash, observation.forSession])
        try db.cachedStatement(sql: "DELETE FROM lint_fingerprints WHERE integration_id = ? AND seq <= ?").execute(arguments: [id, seq - Int64(lintMemory)])
    }

    /// The integration's counters, and its remembered lifetimes sorted ascending; `integrationNotFound` for an unknown id.
    public func lintReport(integrationId: String) async throws -> (counters: [LintCounter], lifetimes: [Double], fingerprints: Int) {
        try await dbWriter.read { db in
            guard try IntegrationRecord.exists(db, key: integrationId) else { throw StoreError.integrationNotFound(integrationId) }
            let counters = try Row.fetchAll(db, sql: "SELECT * FROM lint_counters WHERE integration_id = ? ORDER BY name", arguments: [integrationId])
                .map { LintCounter(name: $0["name"], count: $0["count"], firstAt: $0["first_at"], lastAt: $0["last_at"], detail: $0["detail"]) }
            let lifetimes = try Double.fetchAll(db, sql: "SELECT seconds FROM lint_lifetimes WHERE integration_id = ? ORDER BY seconds",
                                                arguments: [integrationId])
            let fingerprints = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM lint_fingerprints WHERE integration_id = ?", arguments: [integrationId]) ?? 0
            return (counters, lifetimes, fingerprints)
        }
    }
}
