import Foundation
import GRDB
@testable import MoveoStore
import Testing

/// CONTRACT §13: sessions served from memory for the request path, never older than the database's committed state.
@Suite("Session cache")
struct SessionCacheTests {
    typealias Fixtures = AppDatabaseTests

    /// A file database with integration `acme` and the sessions `ids` of user `u1`.
    static func database(_ folder: URL, sessions ids: [String]) async throws -> AppDatabase {
        let database = try AppDatabase.open(path: folder.appendingPathComponent("cache.sqlite").path)
        _ = try await database.createIntegration(Fixtures.integration())
        for id in ids { try await database.createSession(Fixtures.session(id), event: Fixtures.event("e-\(id)", session: id)) }
        return database
    }

    /// The row as the database holds it, read past the cache.
    static func stored(_ database: AppDatabase, _ id: String) throws -> SessionRecord? {
        try database.dbWriter.read { db in try SessionRecord.fetchOne(db, key: id) }
    }

    static func folder() -> URL { FileManager.default.temporaryDirectory.appendingPathComponent("moveo-cache-\(UUID().uuidString)") }

    @Test("written through: creation, messages, layer updates and ending are served from memory exactly as stored")
    func writeThrough() async throws {
        let folder = Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = try await Self.database(folder, sessions: ["s1"])
        #expect(database.sessionCache.count == 1, "a created session is cached at commit")
        _ = try await database.appendExchange(sessionId: "s1", now: 2100, userText: "hi", replyText: "hello", ids: ("m1", "m2"), events: [], deliveries: [],
                                              variables: #"{"v":1}"#)
        #expect(try await database.session(id: "s1") == (try Self.stored(database, "s1")))
        #expect(try await database.session(id: "s1")?.messageCount == 2)
        try await database.updateSession("s1") { session in
            session.locale = "el"
            return (events: [], result: ())
        }
        #expect(try await database.session(id: "s1")?.locale == "el")
        #expect(try await database.session(id: "s1") == (try Self.stored(database, "s1")))
        try await database.endSession("s1", now: 2200, event: Fixtures.event("e-end", session: "s1"))
        #expect(try await database.session(id: "s1")?.endedAt == 2200)
    }

    @Test("a refused write changes nothing in memory either")
    func refusedWrite() async throws {
        let folder = Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = try await Self.database(folder, sessions: ["s1"])
        let before = try await database.session(id: "s1")
        await #expect(throws: StoreError.self) {
            try await database.updateSession("s1") { session -> (events: [EventRecord], result: Void) in
                session.locale = "xx"
                throw StoreError.sessionNotFound("s1")
            }
        }
        #expect(try await database.session(id: "s1") == before)
        #expect(try await database.session(id: "s1")?.locale == "en")
    }

    @Test("deleting a user's data, the retention sweep, deleting the integration and a reset: no cached session outlives its row")
    func deletions() async throws {
        let folder = Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = try await Self.database(folder, sessions: ["s1", "s2", "s3"])
        _ = try await database.deleteUser(integrationId: "acme", externalId: "u1")
        for id in ["s1", "s2", "s3"] { #expect(try await database.session(id: id) == nil, "\(id) after deleteUser") }

        try await database.createSession(Fixtures.session("s4", at: 1000), event: Fixtures.event("e4", session: "s4"))
        _ = try await database.session(id: "s4")
        _ = try await database.sweep(before: 1500)
        #expect(try await database.session(id: "s4") == nil, "after the sweep")

        try await database.createSession(Fixtures.session("s5"), event: Fixtures.event("e5", session: "s5"))
        try await database.reset(all: false)
        #expect(try await database.session(id: "s5") == nil, "after a reset")

        try await database.createSession(Fixtures.session("s6"), event: Fixtures.event("e6", session: "s6"))
        try await database.deleteIntegration(id: "acme")
        #expect(try await database.session(id: "s6") == nil, "after deleting the integration")
    }

    @Test("after a restart the database is the truth: a reopened store reads what was committed")
    func restart() async throws {
        let folder = Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        do {
            let database = try await Self.database(folder, sessions: ["s1"])
            _ = try await database.appendExchange(sessionId: "s1", now: 2100, userText: "a", replyText: "b", ids: ("m1", "m2"), events: [])
            try database.close()
        }
        let reopened = try AppDatabase.open(path: folder.appendingPathComponent("cache.sqlite").path)
        #expect(reopened.sessionCache.count == 0)
        #expect(try await reopened.session(id: "s1")?.messageCount == 2)
        #expect(reopened.sessionCache.count == 1, "a miss is cached")
    }

    @Test("50 concurrent messages on one session: memory and database agree on the count and the last activity")
    func concurrentMessages() async throws {
        let folder = Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = try await Self.database(folder, sessions: ["s1"])
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<50 {
                group.addTask {
                    _ = try await database.appendExchange(sessionId: "s1", now: 2000 + Double(index), userText: "u", replyText: "r",
                                                          ids: ("u\(index)", "r\(index)"), events: [])
                }
            }
            try await group.waitForAll()
        }
        let stored = try #require(try Self.stored(database, "s1"))
        #expect(stored.messageCount == 100 && stored.lastSeenAt == 2049)
        #expect(try await database.session(id: "s1") == stored)
    }

    @Test("bounded: past its byte budget it drops entries, and a dropped session is read again")
    func bounded() {
        let cache = SessionCache(budget: 64 << 10)
        for index in 0..<1000 {
            var session = Fixtures.session("s\(index)")
            session.context = String(repeating: "x", count: 1000)
            cache.store(session)
        }
        #expect(cache.count > 10 && cache.count < 100, "\(cache.count) sessions of ~1.5 KiB in 64 KiB")
        let (found, generation) = cache.get("read")
        #expect(found == nil)
        cache.put(Fixtures.session("read"), readAt: generation)
        #expect(cache.get("read").0 != nil, "a miss read from the database is kept")
        let (_, before) = cache.get("late")
        cache.store(Fixtures.session("s1"))
        cache.put(Fixtures.session("late"), readAt: before)
        #expect(cache.get("late").0 == nil, "a read older than a store is not put back")
    }
}

/// CONTRACT §15 with §13: the lint's memory is read inside the session's own transaction.
@Suite("Signer lint memory at session creation")
struct LintInTransactionTests {
    @Test("20 sessions created at once with one AES key: each after the first sees the key as reused (no lost observation)")
    func concurrentReuse() async throws {
        let database = try AppDatabase.open(path: ":memory:")
        _ = try await database.createIntegration(AppDatabaseTests.integration())
        let seen = try await withThrowingTaskGroup(of: Bool.self) { group in
            for index in 0..<20 {
                group.addTask {
                    let probe = LintProbe(integrationId: "acme", keyHash: "same-key", ivHash: "iv-\(index)", tokenHash: "token-\(index)")
                    let reused = LockedFlag()
                    try await database.createSession(AppDatabaseTests.session("s\(index)"), lint: probe) { memory in
                        reused.set(memory.key)
                        let observation = LintObservation(integrationId: "acme", at: 2000, tokenHash: "token-\(index)", keyHash: "same-key",
                                                          ivHash: "iv-\(index)", forSession: true, lifetime: 60, counters: [])
                        return (AppDatabaseTests.event("e\(index)", session: "s\(index)"), observation)
                    }
                    return reused.value
                }
            }
            return try await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(seen.filter { $0 }.count == 19, "\(seen)")
    }
}

/// A flag set from a closure the store runs on its writer.
final class LockedFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var flag = false
    func set(_ value: Bool) { lock.withLock { flag = value } }
    var value: Bool { lock.withLock { flag } }
}
