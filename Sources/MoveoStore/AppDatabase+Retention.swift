import GRDB

// MARK: - Retention (CONTRACT §13): what is older than the duration goes, in short transactions

extension AppDatabase {
    /// How many sessions (or events) one sweep transaction deletes at most, so the writer is never held for long.
    public static let sweepBatch = 500

    /// Deletes sessions whose last activity is before `cutoff` (with their messages, deliveries and events, out of the usage
    /// tally), then events and signer-lint memory older than it, one batch per transaction. Returns what went.
    public func sweep(before cutoff: Double) async throws -> (sessions: Int, messages: Int, events: Int) {
        var total = (sessions: 0, messages: 0, events: 0)
        defer { sessionCache.removeAll() }
        while true {
            let removed = try await dbWriter.write { [sessionCache] db -> (Int, Int) in
                sessionCache.removeAll()
                let rows = try Row.fetchAll(db.cachedStatement(sql: "SELECT id, integration_id FROM sessions WHERE last_seen_at < ? LIMIT ?"),
                                            arguments: [cutoff, Self.sweepBatch])
                var byIntegration: [String: [String]] = [:]
                for row in rows { byIntegration[row["integration_id"], default: []].append(row["id"]) }
                var removed = (0, 0)
                for (integrationId, ids) in byIntegration {
                    let counts = try Self.removeSessions(db, integrationId: integrationId, ids: ids)
                    removed.0 += counts.sessions
                    removed.1 += counts.messages
                }
                return removed
            }
            total.sessions += removed.0
            total.messages += removed.1
            if removed.0 < Self.sweepBatch { break }
        }
        while true {
            let removed = try await dbWriter.write { db -> Int in
                try db.cachedStatement(sql: "DELETE FROM events WHERE rowid IN (SELECT rowid FROM events WHERE at < ? LIMIT ?)")
                    .execute(arguments: [cutoff, Self.sweepBatch])
                return db.changesCount
            }
            total.events += removed
            if removed < Self.sweepBatch { break }
        }
        try await dbWriter.write { db in
            try db.execute(sql: "DELETE FROM lint_fingerprints WHERE at < ?", arguments: [cutoff])
            try db.execute(sql: "DELETE FROM lint_lifetimes WHERE at < ?", arguments: [cutoff])
        }
        return total
    }
}
