import Foundation
@testable import MoveoPostgres
import MoveoStore
import Testing

/// The PostgreSQL store's integrations, keys, webhooks and settings keep AppDatabase's rules (CONTRACT §5, §10, §12).
@Suite("PostgreSQL store: integrations, keys, webhooks, settings", .serialized)
struct PostgresIntegrationsTests {
    static func integration(_ id: String = "acme") -> StoredIntegration {
        StoredIntegration(
            record: IntegrationRecord(id: id, name: "Acme", authRequired: true, sessionTimeout: 3600, createdAt: 1000),
            customerKeys: [CustomerKeyRecord(integrationId: id, kid: "k1", publicKeyPEM: "pem1", fingerprintSHA256: "f1", bits: 2048, addedAt: 1000)],
            platformKeys: [PlatformKeyRecord(integrationId: id, kid: "p1", privateKeyPEM: "private1", bits: 2048, isCurrent: true, createdAt: 1000)])
    }

    static func webhook(_ id: String, name: String, type: String = "dialog", integration: String = "acme") -> WebhookRecord {
        WebhookRecord(id: id, integrationId: integration, name: name, type: type, url: "http://127.0.0.1:9/\(name)", verificationToken: "token-\(id)",
                      customHeaders: "{}", createdAt: 1000)
    }

    @Test("create, refuse a taken id, update, keys (add, replace, delete), rotate the platform key, list, count, delete")
    func integrations() async throws {
        guard TestDatabase.available("PostgresIntegrationsTests") else { return }
        try await TestDatabase.with { url in
            let store = try await PostgresStore.open(url: url)
            let created = try await store.createIntegration(Self.integration())
            #expect(created == Self.integration())
            await #expect(throws: StoreError.integrationExists("acme")) { _ = try await store.createIntegration(Self.integration()) }
            let updated = try await store.updateIntegration(id: "acme", name: "Renamed", authRequired: false, sessionTimeout: 60)
            #expect(updated.record.name == "Renamed" && !updated.record.authRequired && updated.record.sessionTimeout == 60)
            let k2 = CustomerKeyRecord(integrationId: "acme", kid: "k2", publicKeyPEM: "pem2", fingerprintSHA256: "f2", bits: 3072, addedAt: 1001)
            #expect(try await store.setCustomerKeys(integrationId: "acme", keys: [k2], replace: false).customerKeys.map(\.kid) == ["k1", "k2"])
            #expect(try await store.setCustomerKeys(integrationId: "acme", keys: [k2], replace: true).customerKeys.map(\.kid) == ["k2"])
            await #expect(throws: StoreError.keyNotFound("k1")) { _ = try await store.deleteCustomerKey(integrationId: "acme", kid: "k1") }
            #expect(try await store.deleteCustomerKey(integrationId: "acme", kid: "k2").customerKeys.isEmpty)
            let p2 = PlatformKeyRecord(integrationId: "acme", kid: "p2", privateKeyPEM: "private2", bits: 2048, isCurrent: true, createdAt: 1002)
            let p3 = PlatformKeyRecord(integrationId: "acme", kid: "p3", privateKeyPEM: "private3", bits: 2048, isCurrent: true, createdAt: 1003)
            _ = try await store.rotatePlatformKey(integrationId: "acme", newKey: p2)
            let rotated = try await store.rotatePlatformKey(integrationId: "acme", newKey: p3)
            #expect(rotated.platformKeys.map(\.kid) == ["p3", "p2"] && rotated.currentPlatformKey?.kid == "p3", "the previous key stays, older ones go")
            _ = try await store.createIntegration(Self.integration("beta"))
            #expect(try await store.integrations().map(\.record.id) == ["acme", "beta"])
            #expect(try await store.integrationCount() == 2)
            try await store.deleteIntegration(id: "beta")
            await #expect(throws: StoreError.integrationNotFound("beta")) { try await store.deleteIntegration(id: "beta") }
            #expect(try await store.integration(id: "beta") == nil)
            #expect(try await store.integrationCount() == 1)
            try await store.close()
        }
    }

    @Test("webhooks: unique names, one of each event type, at most 20, updates, tokens, the v3 default webhook; in creation order")
    func webhooks() async throws {
        guard TestDatabase.available("PostgresIntegrationsTests") else { return }
        try await TestDatabase.with { url in
            let store = try await PostgresStore.open(url: url)
            _ = try await store.createIntegration(Self.integration())
            _ = try await store.createWebhook(Self.webhook("wh_a", name: "a"))
            _ = try await store.createWebhook(Self.webhook("wh_pre", name: "pre", type: "pre_message"))
            await #expect(throws: StoreError.self) { _ = try await store.createWebhook(Self.webhook("wh_a2", name: "a")) }
            await #expect(throws: StoreError.self) { _ = try await store.createWebhook(Self.webhook("wh_pre2", name: "pre2", type: "pre_message")) }
            let changed = try await store.updateWebhook(integrationId: "acme", webhookId: "wh_a", name: "b", url: "http://127.0.0.1:9/b", customHeaders: #"{"X":"1"}"#)
            #expect(changed.name == "b" && changed.customHeaders == #"{"X":"1"}"# && changed.verificationToken == "token-wh_a")
            #expect(try await store.setWebhookToken(integrationId: "acme", webhookId: "wh_a", token: "new-token").verificationToken == "new-token")
            await #expect(throws: StoreError.webhookNotFound("wh_none")) { try await store.deleteWebhook(integrationId: "acme", webhookId: "wh_none") }
            let withDefault = try await store.setDefaultWebhook(integrationId: "acme", url: "http://127.0.0.1:9/default", token: "secret-123") {
                Self.webhook("wh_default", name: "default")
            }
            #expect(withDefault.defaultWebhook?.verificationToken == "secret-123")
            #expect(withDefault.webhooks.map(\.id) == ["wh_a", "wh_pre", "wh_default"], "creation order, ties by insertion")
            #expect(try await store.setDefaultWebhook(integrationId: "acme", url: nil, token: nil) { Self.webhook("x", name: "default") }.defaultWebhook == nil)
            for index in 0..<18 { _ = try await store.createWebhook(Self.webhook("wh_\(index)", name: "d\(index)")) }
            await #expect(throws: StoreError.self) { _ = try await store.createWebhook(Self.webhook("wh_21", name: "d21")) }
            try await store.deleteWebhook(integrationId: "acme", webhookId: "wh_pre")
            #expect(try await store.integration(id: "acme")?.webhooks.count == 19)
            try await store.close()
        }
    }

    @Test("settings: two instances starting at once store one admin token, and both read it; the account id is made by the migration")
    func settings() async throws {
        guard TestDatabase.available("PostgresIntegrationsTests") else { return }
        try await TestDatabase.with { url in
            let first = try await PostgresStore.open(url: url), second = try await PostgresStore.open(url: url)
            #expect(try await first.adminToken() == nil)
            async let a = first.adminToken(orStore: { "token-a" })
            async let b = second.adminToken(orStore: { "token-b" })
            let (left, right) = try await (a, b)
            #expect(left.token == right.token && [left.created, right.created].filter { $0 }.count == 1, "\(left) \(right)")
            #expect(try await second.adminToken() == left.token)
            let account = try await first.accountId(), seen = try await second.accountId()
            #expect(UUID(uuidString: account) != nil && account == seen)
            try await first.close()
            try await second.close()
        }
    }

    @Test("seeding creates, then updates in place: name, flags, customer keys, webhooks by name; a platform key is generated only once")
    func seed() async throws {
        guard TestDatabase.available("PostgresIntegrationsTests") else { return }
        try await TestDatabase.with { url in
            let store = try await PostgresStore.open(url: url)
            var seed = Self.integration("seeded")
            seed.platformKeys = []
            seed.webhooks = [Self.webhook("wh_s", name: "brain", integration: "seeded")]
            seed.webhooks[0].verificationToken = ""
            let generated = Counter()
            let first = try await store.seedIntegration(seed, generatePlatformKey: {
                generated.add()
                return PlatformKeyRecord(integrationId: "seeded", kid: "gen", privateKeyPEM: "generated", bits: 2048, isCurrent: true, createdAt: 1000)
            }, newWebhookToken: { "fresh-token" })
            #expect(first.currentPlatformKey?.kid == "gen" && first.webhooks.first?.verificationToken == "fresh-token")
            seed.record.name = "Seeded again"
            seed.customerKeys = [CustomerKeyRecord(integrationId: "seeded", kid: "k9", publicKeyPEM: "pem9", fingerprintSHA256: "f9", bits: 2048, addedAt: 1)]
            seed.webhooks[0].url = "http://127.0.0.1:9/changed"
            let second = try await store.seedIntegration(seed, generatePlatformKey: {
                generated.add()
                return PlatformKeyRecord(integrationId: "seeded", kid: "gen2", privateKeyPEM: "generated2", bits: 2048, isCurrent: true, createdAt: 1001)
            }, newWebhookToken: { "other-token" })
            #expect(second.record.name == "Seeded again" && second.customerKeys.map(\.kid) == ["k9"])
            #expect(second.currentPlatformKey?.kid == "gen" && generated.value == 1, "the stored platform key is kept")
            #expect(second.webhooks.map(\.id) == ["wh_s"] && second.webhooks[0].url == "http://127.0.0.1:9/changed")
            #expect(second.webhooks[0].verificationToken == "fresh-token", "an empty seed token keeps the stored one")
            try await store.close()
        }
    }
}

/// A count the store's closures can bump.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func add() { lock.withLock { count += 1 } }
    var value: Int { lock.withLock { count } }
}
