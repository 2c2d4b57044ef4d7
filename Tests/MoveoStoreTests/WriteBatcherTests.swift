import Foundation
import GRDB
@testable import MoveoStore
import Testing

@Suite("Group commit")
struct WriteBatcherTests {
    /// A store on a real SQLite file in WAL mode, removed afterwards.
    static func withFileDatabase(_ body: (AppDatabase, String) async throws -> Void) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("moveo-batch-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("batch.sqlite").path
        let database = try AppDatabase.open(path: path)
        _ = try await database.createIntegration(AppDatabaseTests.integration())
        try await body(database, path)
        try database.close()
    }

    @Test("200 concurrent session creations all commit, each with its event, and survive a reopen")
    func concurrentWrites() async throws {
        try await Self.withFileDatabase { database, path in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<200 {
                    group.addTask {
                        try await database.createSession(AppDatabaseTests.session("s\(index)"), event: AppDatabaseTests.event("e\(index)", session: "s\(index)"))
                    }
                }
                try await group.waitForAll()
            }
            try database.close()
            let reopened = try AppDatabase.open(path: path)
            let counts = try await reopened.dbWriter.read { db in
                (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sessions") ?? -1, try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM events") ?? -1)
            }
            #expect(counts == (200, 200))
            #expect(try reopened.integrityCheck() == "ok")
        }
    }

    @Test("a write that fails beside others rolls back its own rows only; the others commit")
    func failureIsolated() async throws {
        try await Self.withFileDatabase { database, _ in
            let outcomes = try await withThrowingTaskGroup(of: (Int, Bool).self) { group in
                for index in 0..<40 {
                    group.addTask {
                        do {
                            // Every fourth write inserts a row and then fails, as a constraint violation half-way would.
                            _ = try await database.batcher.write { db in
                                try AppDatabaseTests.event("x\(index)").append(to: db)
                                if index % 4 == 0 { throw StoreError.sessionNotFound("s\(index)") }
                            }
                            return (index, true)
                        } catch StoreError.sessionNotFound {
                            return (index, false)
                        }
                    }
                }
                var all: [Int: Bool] = [:]
                for try await (index, ok) in group { all[index] = ok }
                return all
            }
            #expect(outcomes.count == 40)
            // The savepoint path was taken: some transaction held several of these writes.
            #expect(database.batcher.largestBatch > 1)
            #expect(outcomes.filter { !$0.value }.keys.sorted() == Array(stride(from: 0, to: 40, by: 4)))
            let stored = try await database.dbWriter.read { db in try String.fetchAll(db, sql: "SELECT id FROM events ORDER BY id") }
            let expected = (0..<40).filter { $0 % 4 != 0 }.map { "x\($0)" }.sorted()
            #expect(stored == expected)
        }
    }

    @Test("a lone failing write leaves nothing behind, and the next write still commits")
    func loneFailure() async throws {
        try await Self.withFileDatabase { database, _ in
            await #expect(throws: StoreError.self) {
                try await database.batcher.write { db in
                    try AppDatabaseTests.event("lone").append(to: db)
                    throw StoreError.integrationNotFound("nope")
                }
            }
            try await database.appendEvent(AppDatabaseTests.event("after"))
            let stored = try await database.dbWriter.read { db in try String.fetchAll(db, sql: "SELECT id FROM events ORDER BY id") }
            #expect(stored == ["after"])
        }
    }

    @Test("a constraint violation (duplicate id) fails that write alone, with SQLite's error")
    func constraintViolation() async throws {
        try await Self.withFileDatabase { database, _ in
            try await database.appendEvent(AppDatabaseTests.event("dup"))
            await #expect(throws: DatabaseError.self) { try await database.appendEvent(AppDatabaseTests.event("dup")) }
            try await database.appendEvent(AppDatabaseTests.event("next"))
            let count = try await database.dbWriter.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM events") }
            #expect(count == 2)
        }
    }
}
