import Foundation
import GRDB

/// The emulator's SQLite store: integrations, keys, sessions, messages, events and settings.
///
/// Every method is one transaction that leaves the data consistent.
public struct AppDatabase: Sendable {
    /// The underlying writer (a `DatabasePool` in WAL mode on disk, a `DatabaseQueue` in memory).
    let dbWriter: any DatabaseWriter
    /// Integrations the request path reads, dropped by every write that touches them.
    let cache = IntegrationCache()
    /// Sessions the request path reads, written through after each commit (CONTRACT §13).
    let sessionCache = SessionCache()
    /// Group commit for the request path's writes (sessions, messages, events).
    let batcher: WriteBatcher

    /// Opens or creates the store and runs the migrations; refuses a database a newer binary has migrated (`StoreOpenError`).
    public init(_ dbWriter: any DatabaseWriter, location: String = "the database") throws {
        self.dbWriter = dbWriter
        self.batcher = WriteBatcher(dbWriter)
        let migrator = Self.migrator
        let unknown = try dbWriter.read { db in try migrator.appliedIdentifiers(db) }.subtracting(migrator.migrations)
        guard unknown.isEmpty else { throw StoreOpenError.newerSchema(location: location, unknownMigrations: unknown.sorted()) }
        try migrator.migrate(dbWriter)
    }

    /// Opens `path` (`:memory:` keeps nothing): a WAL `DatabasePool` on disk, created owner-only with its folder.
    public static func open(path: String) throws -> AppDatabase {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // Statement journals of the group-commit savepoints in memory, not as files created and unlinked in /var/tmp.
            try db.execute(sql: "PRAGMA temp_store = MEMORY")
        }
        if path == ":memory:" {
            return try AppDatabase(DatabaseQueue(configuration: configuration))
        }
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent()
        let manager = FileManager.default
        if !manager.fileExists(atPath: folder.path) {
            try manager.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        if !manager.fileExists(atPath: url.path) {
            guard manager.createFile(atPath: url.path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
                throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: url.path])
            }
        }
        return try AppDatabase(DatabasePool(path: url.path, configuration: configuration), location: url.path)
    }

    /// Closes the connections (the WAL is checkpointed by SQLite on the last close).
    public func close() throws {
        if let pool = dbWriter as? DatabasePool { try pool.close() }
        if let queue = dbWriter as? DatabaseQueue { try queue.close() }
    }

    /// The SQL of every table and index, in name order (the test that keeps Database/schema.sql honest reads it).
    public func schemaSQL() throws -> [String] {
        try dbWriter.read { db in
            try String.fetchAll(db, sql: """
                SELECT sql FROM sqlite_master
                WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'grdb_%'
                ORDER BY type DESC, name
                """)
        }
    }

    /// `PRAGMA integrity_check`'s answer (`ok` when sound).
    public func integrityCheck() throws -> String {
        try dbWriter.read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") ?? "" }
    }
}
