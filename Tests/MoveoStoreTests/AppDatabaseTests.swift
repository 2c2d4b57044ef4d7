import Foundation
import GRDB
@testable import MoveoStore
import Testing

@Suite("AppDatabase")
struct AppDatabaseTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func integration(_ id: String = "acme", timeout: Int = 3600) -> StoredIntegration {
        StoredIntegration(
            record: IntegrationRecord(id: id, name: "Acme", authRequired: true, sessionTimeout: timeout, createdAt: 1000),
            customerKeys: [CustomerKeyRecord(integrationId: id, kid: "k1", publicKeyPEM: "pem", fingerprintSHA256: "ff", bits: 2048, addedAt: 1000)],
            platformKeys: [PlatformKeyRecord(integrationId: id, kid: "p1", privateKeyPEM: "private", bits: 2048, isCurrent: true, createdAt: 1000)])
    }

    static func session(_ id: String, integration: String = "acme", sub: String? = "u1", at time: Double = 2000) -> SessionRecord {
        SessionRecord(id: id, integrationId: integration, authenticated: sub != nil, externalId: sub, issuer: "iss", context: #"{"a":1}"#,
                      createdAt: time, lastSeenAt: time)
    }

    static func event(_ id: String, at time: Double = 2000, session: String? = nil, sub: String? = "u1") -> EventRecord {
        EventRecord(id: id, at: time, integrationId: "acme", sessionId: session, action: "session_create", outcome: "accepted", code: nil,
                    detail: "", iss: "iss", sub: sub)
    }

    @Test("Database/schema.sql equals what the migrations create")
    func schemaFile() throws {
        let database = try AppDatabase.open(path: ":memory:")
        let normalize = { (text: String) in text.split(whereSeparator: \.isWhitespace).joined(separator: " ") }
        let file = try String(contentsOf: Self.repositoryRoot.appendingPathComponent("Database/schema.sql"), encoding: .utf8)
        let statements = file.split(separator: "\n").filter { !$0.hasPrefix("--") }.joined(separator: "\n")
            .split(separator: ";").map { normalize(String($0)) }.filter { !$0.isEmpty }
        #expect(statements == (try database.schemaSQL()).map(normalize))
    }

    @Test("a file database is created owner-only with its folder, and keeps everything across a reopen")
    func fileDatabase() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("moveo-store-\(UUID().uuidString)/nested")
        let path = folder.appendingPathComponent("test.sqlite").path
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        do {
            let database = try AppDatabase.open(path: path)
            _ = try await database.createIntegration(Self.integration())
            try await database.createSession(Self.session("s1"), event: Self.event("e1", session: "s1"))
            try database.close()
        }
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let reopened = try AppDatabase.open(path: path)
        #expect(try await reopened.session(id: "s1")?.context == #"{"a":1}"#)
        #expect(try await reopened.integration(id: "acme")?.customerKeys.count == 1)
        #expect(try reopened.integrityCheck() == "ok")
    }

    @Test("creating a taken id is refused and changes nothing")
    func integrationExists() async throws {
        let database = try AppDatabase.open(path: ":memory:")
        _ = try await database.createIntegration(Self.integration())
        var other = Self.integration()
        other.record.name = "Other"
        await #expect(throws: StoreError.integrationExists("acme")) { try await database.createIntegration(other) }
        #expect(try await database.integration(id: "acme")?.record.name == "Acme")
    }

    @Test("an exchange stores both messages, counts them and resets the idle time; idle past the timeout is refused")
    func exchange() async throws {
        let database = try AppDatabase.open(path: ":memory:")
        _ = try await database.createIntegration(Self.integration(timeout: 60))
        try await database.createSession(Self.session("s1"), event: Self.event("e1"))
        let first = try await database.appendExchange(sessionId: "s1", now: 2060, userText: "hi", replyText: "hello", ids: ("m1", "m2"), events: [])
        #expect(first.session.messageCount == 2 && first.session.lastSeenAt == 2060)
        await #expect(throws: StoreError.self) {
            try await database.appendExchange(sessionId: "s1", now: 2121, userText: "late", replyText: "x", ids: ("m3", "m4"), events: [])
        }
        #expect(try await database.messages(sessionId: "s1").map(\.role) == ["user", "assistant"])
    }

    @Test("lists are newest first, equal times by id descending, and pages join without gaps")
    func pagination() async throws {
        let database = try AppDatabase.open(path: ":memory:")
        _ = try await database.createIntegration(Self.integration())
        for (index, id) in ["a", "c", "b", "d"].enumerated() {
            try await database.createSession(Self.session(id, at: index < 3 ? 2000 : 1000), event: Self.event("e\(id)"))
        }
        let first = try await database.sessions(integrationId: nil, externalId: nil, limit: 2, after: nil)
        #expect(first.items.map(\.id) == ["c", "b"])
        let second = try await database.sessions(integrationId: nil, externalId: nil, limit: 2, after: first.nextCursor)
        #expect(second.items.map(\.id) == ["a", "d"])
        #expect(second.nextCursor == nil)
        #expect(PageCursor(encoded: first.nextCursor!.encoded) == first.nextCursor)
        #expect(PageCursor(encoded: "garbage") == nil)
    }

    @Test("deleting a user removes their sessions, messages and events, and no one else's")
    func deleteUser() async throws {
        let database = try AppDatabase.open(path: ":memory:")
        _ = try await database.createIntegration(Self.integration())
        try await database.createSession(Self.session("s1", sub: "alice"), event: Self.event("e1", session: "s1", sub: "alice"))
        try await database.createSession(Self.session("s2", sub: "bob"), event: Self.event("e2", session: "s2", sub: "bob"))
        _ = try await database.appendExchange(sessionId: "s1", now: 2001, userText: "x", replyText: "y", ids: ("m1", "m2"), events: [])
        let counts = try await database.deleteUser(integrationId: "acme", externalId: "alice")
        #expect(counts.sessions == 1 && counts.messages == 2)
        #expect(try await database.session(id: "s1") == nil)
        #expect(try await database.session(id: "s2") != nil)
        let events = try await database.events(integrationId: nil, sessionId: nil, outcome: nil, limit: 10, after: nil)
        #expect(events.items.map(\.id) == ["e2"])
    }

    @Test("rotation keeps exactly one previous platform key")
    func rotation() async throws {
        let database = try AppDatabase.open(path: ":memory:")
        _ = try await database.createIntegration(Self.integration())
        for kid in ["p2", "p3"] {
            _ = try await database.rotatePlatformKey(integrationId: "acme", newKey: PlatformKeyRecord(
                integrationId: "acme", kid: kid, privateKeyPEM: "x", bits: 2048, isCurrent: true, createdAt: 3000))
        }
        let keys = try await database.integration(id: "acme")!.platformKeys
        #expect(keys.map(\.kid) == ["p3", "p2"] && keys.map(\.isCurrent) == [true, false])
    }

    @Test("the admin token is stored once")
    func adminToken() async throws {
        let database = try AppDatabase.open(path: ":memory:")
        let first = try await database.adminToken(orStore: { "one" })
        let second = try await database.adminToken(orStore: { "two" })
        #expect(first == ("one", true) && second == ("one", false))
    }
}
