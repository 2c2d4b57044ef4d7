import GRDB

// MARK: - Usage kept as a tally (CONTRACT §13): one row per integration and month, written with the rows it counts

extension AppDatabase {
    /// The month (`YYYY-MM`, UTC) of a time, in SQL.
    static let monthOf = "strftime('%Y-%m', ?, 'unixepoch')"

    /// Counts a new session (and its `sub` as active) in the month of `at`.
    static func tallySession(_ db: Database, integrationId: String, externalId: String?, at: Double) throws {
        try db.cachedStatement(sql: """
            INSERT INTO usage_months (integration_id, month, sessions, messages, active_users) VALUES (?, \(monthOf), 1, 0, 0)
            ON CONFLICT (integration_id, month) DO UPDATE SET sessions = sessions + 1
            """).execute(arguments: [integrationId, at])
        if let externalId { try tallyUser(db, integrationId: integrationId, externalId: externalId, at: at) }
    }

    /// Counts `count` stored messages (and the user as active) in the month of `at`.
    static func tallyMessages(_ db: Database, integrationId: String, externalId: String?, count: Int, at: Double) throws {
        try db.cachedStatement(sql: """
            INSERT INTO usage_months (integration_id, month, sessions, messages, active_users) VALUES (?, \(monthOf), 0, ?, 0)
            ON CONFLICT (integration_id, month) DO UPDATE SET messages = messages + excluded.messages
            """).execute(arguments: [integrationId, at, count])
        if let externalId { try tallyUser(db, integrationId: integrationId, externalId: externalId, at: at) }
    }

    private static func tallyUser(_ db: Database, integrationId: String, externalId: String, at: Double) throws {
        try db.cachedStatement(sql: "INSERT OR IGNORE INTO usage_users (integration_id, month, sub) VALUES (?, \(monthOf), ?)")
            .execute(arguments: [integrationId, at, externalId])
        guard db.changesCount > 0 else { return }
        try db.cachedStatement(sql: "UPDATE usage_months SET active_users = active_users + 1 WHERE integration_id = ? AND month = \(monthOf)")
            .execute(arguments: [integrationId, at])
    }

    /// Deletes sessions of one integration with their messages, deliveries and events, and takes them out of the tally:
    /// their sessions and messages, and each `sub` that has nothing left in a month.
    static func removeSessions(_ db: Database, integrationId: String, ids: [String]) throws -> (sessions: Int, messages: Int) {
        guard !ids.isEmpty else { return (0, 0) }
        let list = Array(repeating: "?", count: ids.count).joined(separator: ",")
        let arguments = StatementArguments(ids)
        let monthSQL = "strftime('%Y-%m', created_at, 'unixepoch')"
        for row in try Row.fetchAll(db, sql: "SELECT \(monthSQL) AS month, COUNT(*) AS n FROM sessions WHERE id IN (\(list)) GROUP BY month",
                                    arguments: arguments) {
            try db.execute(sql: "UPDATE usage_months SET sessions = MAX(0, sessions - ?) WHERE integration_id = ? AND month = ?",
                           arguments: [row["n"] as Int, integrationId, row["month"] as String])
        }
        for row in try Row.fetchAll(db, sql: "SELECT \(monthSQL) AS month, COUNT(*) AS n FROM messages WHERE session_id IN (\(list)) GROUP BY month",
                                    arguments: arguments) {
            try db.execute(sql: "UPDATE usage_months SET messages = MAX(0, messages - ?) WHERE integration_id = ? AND month = ?",
                           arguments: [row["n"] as Int, integrationId, row["month"] as String])
        }
        let users = try Row.fetchAll(db, sql: """
            SELECT DISTINCT \(monthSQL) AS month, external_id FROM sessions WHERE id IN (\(list)) AND external_id IS NOT NULL
            UNION SELECT DISTINCT \(monthSQL), external_id FROM messages WHERE session_id IN (\(list)) AND role = 'user' AND external_id IS NOT NULL
            """, arguments: arguments + arguments).map { ($0[0] as String, $0[1] as String) }
        let messages = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM messages WHERE session_id IN (\(list))", arguments: arguments) ?? 0
        try db.execute(sql: "DELETE FROM messages WHERE session_id IN (\(list))", arguments: arguments)
        try db.execute(sql: "DELETE FROM events WHERE session_id IN (\(list))", arguments: arguments)
        try db.execute(sql: "DELETE FROM sessions WHERE id IN (\(list))", arguments: arguments)
        let sessions = db.changesCount
        let range = "created_at >= CAST(strftime('%s', ? || '-01') AS REAL) AND created_at < CAST(strftime('%s', ? || '-01', '+1 month') AS REAL)"
        for (month, sub) in users {
            let rest: StatementArguments = [integrationId, sub, month, month]
            let stillSession = try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM sessions WHERE integration_id = ? AND external_id = ? AND \(range) LIMIT 1"),
                                                 arguments: rest) != nil
            let stillMessage = try Bool.fetchOne(db.cachedStatement(sql: """
                SELECT 1 FROM messages WHERE integration_id = ? AND external_id = ? AND \(range) AND role = 'user' LIMIT 1
                """), arguments: rest) != nil
            guard !stillSession, !stillMessage else { continue }
            try db.execute(sql: "DELETE FROM usage_users WHERE integration_id = ? AND month = ? AND sub = ?", arguments: [integrationId, month, sub])
            if db.changesCount > 0 {
                try db.execute(sql: "UPDATE usage_months SET active_users = MAX(0, active_users - 1) WHERE integration_id = ? AND month = ?",
                               arguments: [integrationId, month])
            }
        }
        return (sessions, messages)
    }

    /// Usage figures of one integration in a month (`YYYY-MM`): one row read, however many sessions there are.
    public func usage(integrationId: String, month: String) async throws -> (activeUsers: Int, sessions: Int, messages: Int) {
        try await dbWriter.read { db in
            let row = try Row.fetchOne(db, sql: "SELECT active_users, sessions, messages FROM usage_months WHERE integration_id = ? AND month = ?",
                                       arguments: [integrationId, month])
            return (row?["active_users"] ?? 0, row?["sessions"] ?? 0, row?["messages"] ?? 0)
        }
    }
}
