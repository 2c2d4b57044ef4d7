import Foundation
@testable import MoveoPostgres
import MoveoStore
import Testing

/// One scenario, run against both stores behind `EmulatorStore` (CONTRACT §12: no business rule lives in a store, and
/// the two must answer alike): SQLite in a temporary file, and PostgreSQL in a fresh database of the test cluster.
@Suite("EmulatorStore: SQLite and PostgreSQL alike", .serialized)
struct StoreConformanceTests {
    typealias Fixtures = PostgresIntegrationsTests

    /// Runs `body` with a fresh store of `kind`; false when that kind cannot run here (PostgreSQL without a cluster).
    static func withStore(_ kind: String, _ body: (any EmulatorStore) async throws -> Void) async throws -> Bool {
        if kind == "sqlite" {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("moveo-conformance-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: folder) }
            let store = try AppDatabase.open(path: folder.appendingPathComponent("store.sqlite").path)
            try await body(store)
            try store.close()
            return true
        }
        guard TestDatabase.available("StoreConformanceTests") else { return false }
        try await TestDatabase.with { url in
            let store = try await PostgresStore.open(url: url)
            try await body(store)
            try await store.close()
        }
        return true
    }

    static func session(_ id: String, sub: String? = "u1", at time: Double = 1_780_000_000) -> SessionRecord {
        SessionRecord(id: id, integrationId: "acme", authenticated: sub != nil, externalId: sub, issuer: "iss", context: #"{"a":1}"#,
                      createdAt: time, lastSeenAt: time)
    }

    static func event(_ id: String, session: String?, sub: String? = "u1", outcome: String = "accepted", at time: Double = 1_780_000_000) -> EventRecord {
        EventRecord(id: id, at: time, integrationId: "acme", sessionId: session, action: "session_create", outcome: outcome, code: nil,
                    detail: "d", iss: "iss", sub: sub)
    }

    @Test("sessions, messages, layers, ending, paging, usage, deletion of a user, sweep and reset", arguments: ["sqlite", "postgres"])
    func lifecycle(kind: String) async throws {
        _ = try await Self.withStore(kind) { store in
            _ = try await store.createIntegration(Fixtures.integration())
            let t0 = 1_780_000_000.0
            for index in 0..<5 {
                try await store.createSession(Self.session("s\(index)", sub: index < 3 ? "alice" : "bob", at: t0 + Double(index)),
                                              event: Self.event("e\(index)", session: "s\(index)", sub: index < 3 ? "alice" : "bob", at: t0 + Double(index)))
            }
            await #expect(throws: StoreError.integrationNotFound("nope")) {
                try await store.createSession(SessionRecord(id: "x", integrationId: "nope", authenticated: false, externalId: nil, issuer: nil,
                                                            context: nil, createdAt: t0, lastSeenAt: t0), event: Self.event("ex", session: nil))
            }
            let exchange = try await store.appendExchange(sessionId: "s0", now: t0 + 10, userText: "hi", replyText: "hello", ids: ("m1", "m2"),
                                                          events: [Self.event("e-m", session: "s0", sub: "alice", at: t0 + 10)], deliveries: [], variables: #"{"v":1}"#)
            #expect(exchange.user.seq == 1 && exchange.assistant.seq == 2 && exchange.session.messageCount == 2 && exchange.session.variables == #"{"v":1}"#)
            #expect(try await store.messages(sessionId: "s0").map(\.text) == ["hi", "hello"])
            await #expect(throws: StoreError.self) {
                _ = try await store.appendExchange(sessionId: "s1", now: t0 + 10_000, userText: "late", replyText: "r", ids: ("m3", "m4"), events: [])
            }
            let locale: String = try await store.updateSession("s0") { session in
                session.locale = "el"
                session.publicContext = #"{"p":true}"#
                return ([], session.locale)
            }
            #expect(locale == "el")
            let s0 = try #require(try await store.session(id: "s0"))
            #expect(s0.locale == "el" && s0.publicContext == #"{"p":true}"# && s0.lastSeenAt == t0 + 10)
            try await store.endSession("s0", now: t0 + 20, event: Self.event("e-end", session: "s0", at: t0 + 20))
            try await store.endSession("s0", now: t0 + 30, event: Self.event("e-end2", session: "s0", at: t0 + 30))
            #expect(try await store.session(id: "s0")?.endedAt == t0 + 20, "ending twice keeps the first time")
            await #expect(throws: StoreError.sessionEnded("s0")) {
                _ = try await store.appendExchange(sessionId: "s0", now: t0 + 21, userText: "x", replyText: "y", ids: ("m5", "m6"), events: [])
            }

            let first = try await store.sessions(integrationId: "acme", externalId: nil, limit: 2, after: nil)
            #expect(first.items.map(\.id) == ["s4", "s3"])
            let second = try await store.sessions(integrationId: "acme", externalId: nil, limit: 2, after: first.nextCursor)
            #expect(second.items.map(\.id) == ["s2", "s1"])
            #expect(try await store.sessions(integrationId: nil, externalId: "bob", limit: 10, after: nil).items.map(\.id) == ["s4", "s3"])
            #expect(try await store.events(integrationId: "acme", sessionId: "s0", outcome: nil, limit: 10, after: nil).items.map(\.id) == ["e-end", "e-m", "e0"])
            try await store.appendEvent(Self.event("e-rej", session: nil, outcome: "rejected", at: t0 + 40))
            #expect(try await store.events(integrationId: nil, sessionId: nil, outcome: "rejected", limit: 10, after: nil).items.map(\.id) == ["e-rej"])

            let month = "2026-05"
            let usage = try await store.usage(integrationId: "acme", month: month)
            #expect(usage.sessions == 5 && usage.messages == 2 && usage.activeUsers == 2, "\(usage)")
            let removed = try await store.deleteUser(integrationId: "acme", externalId: "bob")
            #expect(removed.sessions == 2 && removed.messages == 0)
            let after = try await store.usage(integrationId: "acme", month: month)
            #expect(after.sessions == 3 && after.activeUsers == 1, "\(after)")
            #expect(try await store.session(id: "s3") == nil)

            let swept = try await store.sweep(before: t0 + 5)
            #expect(swept.sessions == 2, "s1 and s2 were idle since before the cutoff: \(swept)")
            #expect(try await store.session(id: "s1") == nil)
            #expect(try await store.session(id: "s0") != nil)
            try await store.reset(all: false)
            #expect(try await store.session(id: "s0") == nil)
            #expect(try await store.integration(id: "acme") != nil)
            try await store.reset(all: true)
            #expect(try await store.integrationCount() == 0)
        }
    }

    @Test("the signer lint's memory: reuse seen inside the creating transaction, counters, lifetimes, the report", arguments: ["sqlite", "postgres"])
    func lint(kind: String) async throws {
        _ = try await Self.withStore(kind) { store in
            _ = try await store.createIntegration(Fixtures.integration())
            for index in 0..<3 {
                let probe = LintProbe(integrationId: "acme", keyHash: "key", ivHash: "iv-\(index)", tokenHash: "t\(index)")
                let seen = SeenBox()
                try await store.createSession(Self.session("s\(index)"), lint: probe) { memory in
                    seen.set(memory)
                    return (Self.event("e\(index)", session: "s\(index)"),
                            LintObservation(integrationId: "acme", at: 1_780_000_000, tokenHash: "t\(index)", keyHash: "key", ivHash: "iv-\(index)",
                                            forSession: true, lifetime: Double(60 * (index + 1)), counters: [("tokens_seen", "")]))
                }
                #expect(seen.value?.key == (index > 0) && seen.value?.iv == false && seen.value?.token == false)
            }
            let replay = try await store.lintSeen(LintProbe(integrationId: "acme", keyHash: nil, ivHash: nil, tokenHash: "t1"))
            #expect(replay.token && !replay.key)
            let ivAgain = try await store.lintSeen(LintProbe(integrationId: "acme", keyHash: "other", ivHash: "iv-0", tokenHash: "t9"))
            #expect(ivAgain.iv && !ivAgain.key && !ivAgain.token)
            // A counter named twice in one observation adds two and keeps the later detail; no context, no fingerprint.
            try await store.createSession(Self.session("s9"), lint: nil) { _ in
                (Self.event("e9", session: "s9"), LintObservation(integrationId: "acme", at: 1_780_000_100, tokenHash: "t9", keyHash: nil, ivHash: nil,
                                                                 forSession: true, lifetime: 30, counters: [("twice", "first"), ("twice", "second")]))
            }
            let report = try await store.lintReport(integrationId: "acme")
            #expect(report.counters.map(\.name).sorted() == ["tokens_seen", "twice"])
            #expect(report.counters.first { $0.name == "tokens_seen" }?.count == 3)
            let twice = report.counters.first { $0.name == "twice" }
            #expect(twice?.count == 2 && twice?.detail == "second" && twice?.firstAt == 1_780_000_100)
            #expect(report.lifetimes.sorted() == [30, 60, 120, 180] && report.fingerprints == 3)
            await #expect(throws: StoreError.integrationNotFound("nope")) { _ = try await store.lintReport(integrationId: "nope") }
        }
    }
}

/// What a `describe` closure saw.
final class SeenBox: @unchecked Sendable {
    private let lock = NSLock()
    private var seen: LintSeen?
    func set(_ value: LintSeen) { lock.withLock { seen = value } }
    var value: LintSeen? { lock.withLock { seen } }
}
