import GRDB

extension AppDatabase {
    /// The stored admin token, or nil before the first start stored one.
    public func adminToken() async throws -> String? {
        try await dbWriter.read { db in try String.fetchOne(db, sql: "SELECT value FROM settings WHERE key = 'admin_token'") }
    }

    /// The stored admin token, storing `generate()` first when there is none; `created` says which.
    public func adminToken(orStore generate: @Sendable () -> String) async throws -> (token: String, created: Bool) {
        try await dbWriter.write { db in
            if let token = try String.fetchOne(db, sql: "SELECT value FROM settings WHERE key = 'admin_token'") {
                return (token, false)
            }
            let token = generate()
            try db.execute(sql: "INSERT INTO settings (key, value) VALUES ('admin_token', ?)", arguments: [token])
            return (token, true)
        }
    }

    /// The account id of webhook calls (`X-Moveo-Account-Id`): a UUID made once per database (migration v4).
    public func accountId() async throws -> String {
        try await dbWriter.read { db in try String.fetchOne(db, sql: "SELECT value FROM settings WHERE key = 'account_id'") ?? "" }
    }

    /// A SQLite file belongs to one process.
    public var isShared: Bool { false }

    /// The stored clock setting, or nil for the system clock.
    public func clockSetting() async throws -> String? {
        try await dbWriter.read { db in try String.fetchOne(db, sql: "SELECT value FROM settings WHERE key = 'clock'") }
    }

    /// Stores the clock setting (nil: the system clock).
    public func setClockSetting(_ value: String?) async throws {
        try await dbWriter.write { db in
            if let value {
                try db.execute(sql: "INSERT INTO settings (key, value) VALUES ('clock', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                               arguments: [value])
            } else {
                try db.execute(sql: "DELETE FROM settings WHERE key = 'clock'")
            }
        }
    }
}
