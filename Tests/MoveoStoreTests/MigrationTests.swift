import Foundation
import GRDB
@testable import MoveoStore
import Testing

/// Migrations carry what older versions stored: v3's single webhook becomes v4's dialog webhook `default`.
@Suite("Migrations")
struct MigrationTests {
    @Test("a v3 database's webhook_url/webhook_secret become the dialog webhook 'default'; sessions gain their layers; an account id is made once")
    func v3ToV4() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("moveo-migrate-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("old.sqlite").path
        do {
            let queue = try DatabaseQueue(path: path)
            try AppDatabase.migrator.migrate(queue, upTo: "v2-webhooks")
            try await queue.write { db in
                try db.execute(sql: """
                    INSERT INTO integrations (id, name, auth_required, session_timeout, created_at, webhook_url, webhook_secret)
                        VALUES ('acme', 'Acme', 1, 3600, 1000, 'http://127.0.0.1:9/hook', 'old-secret-123'), ('beta', 'Beta', 1, 3600, 1001, NULL, NULL);
                    INSERT INTO sessions (id, integration_id, authenticated, external_id, issuer, context, created_at, last_seen_at)
                        VALUES ('s1', 'acme', 1, 'u1', 'iss', '{"a":1}', 2000, 2000);
                    """)
            }
            try queue.close()
        }
        let database = try AppDatabase.open(path: path)
        let acme = try #require(try await database.integration(id: "acme"))
        #expect(acme.webhooks.count == 1)
        let webhook = try #require(acme.defaultWebhook)
        #expect(webhook.url == "http://127.0.0.1:9/hook" && webhook.verificationToken == "old-secret-123" && webhook.type == "dialog")
        #expect(webhook.id.hasPrefix("wh_") && webhook.customHeaders == "{}")
        #expect(try await database.integration(id: "beta")?.webhooks.isEmpty == true)
        let session = try #require(try await database.session(id: "s1"))
        #expect(session.locale == "en" && session.publicContext == nil && session.variables == nil && session.endedAt == nil)
        let account = try await database.accountId()
        #expect(account.count == 36 && account.split(separator: "-").map(\.count) == [8, 4, 4, 4, 12])
        #expect(Array(account)[14] == "4", "a version-4 UUID")
        try database.close()
        let reopened = try AppDatabase.open(path: path)
        #expect(try await reopened.accountId() == account, "made once per database")
        #expect(try reopened.integrityCheck() == "ok")
    }
}
