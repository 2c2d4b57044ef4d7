import Foundation
import HummingbirdTesting
import MoveoAuth
@testable import MoveoEmulator
import MoveoStore
import NIOConcurrencyHelpers
import Testing

/// A real socket and a real SQLite file.
@Suite("Live server on a SQLite file")
struct LiveTests {
    @Test("50 concurrent session creations all succeed and are listed; a restart on the same file keeps sessions and contexts")
    func concurrencyAndRestart() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("moveo-live-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let configuration = TestEmulator.configuration(database: folder.appendingPathComponent("emulator.sqlite").path)
        let tokens = try (0..<50).map { try TestEmulator.token(sub: "user-\($0)", context: .object([("n", .number(String($0)))]), ttl: 300) }
        let created = NIOLockedValueBox<[String: String]>([:])

        try await TestEmulator.run(configuration, setup: .ahc(.http)) { client in
            try await withThrowingTaskGroup(of: (String, String).self) { group in
                for (index, token) in tokens.enumerated() {
                    group.addTask {
                        let reply = try await client.createSession(token)
                        #expect(reply.status == .created)
                        return (reply.json["session_id"]?.stringValue ?? "", "user-\(index)")
                    }
                }
                for try await (id, sub) in group { created.withLockedValue { $0[id] = sub } }
            }
            let listed = try await client.call(.get, "/v1/admin/sessions?limit=500", admin: true)
            #expect(listed.json["sessions"]?.arrayValues.count == 50)
        }
        #expect(created.withLockedValue { $0.count } == 50)

        try await TestEmulator.run(configuration, setup: .ahc(.http)) { client in
            for (id, sub) in created.withLockedValue({ $0 }) {
                let session = try await client.call(.get, "/v1/admin/sessions/\(id)", admin: true)
                #expect(session.json["external_id"] == .string(sub))
                #expect(session.json["context"]?["n"] == .number(String(sub.dropFirst(5))))
            }
            #expect(try await client.call(.get, "/v1/admin/integrations/demo", admin: true).status == .ok)
        }
        let reopened = try AppDatabase.open(path: configuration.databasePath)
        #expect(try reopened.integrityCheck() == "ok")
    }

    @Test("a token in the Authorization header reaches the verifier up to the token limit, and one more is token_too_large")
    func tokenLimitInHeader() async throws {
        try await TestEmulator.run(TestEmulator.configuration(), setup: .ahc(.http)) { client in
            let atLimit = String(repeating: "a", count: CompactJWS.maxLength)
            let exact = try await client.call(.post, "/v1/webchat/demo/sessions", "{}", headers: [.authorization: "Bearer " + atLimit])
            #expect(exact.status == .unauthorized && exact.code == "token_malformed")
            let over = try await client.call(.post, "/v1/webchat/demo/sessions", "{}", headers: [.authorization: "Bearer " + atLimit + "a"])
            #expect(over.status == .contentTooLarge && over.code == "token_too_large")
            #expect(try await client.call(.get, "/health").status == .ok)
        }
    }
}
