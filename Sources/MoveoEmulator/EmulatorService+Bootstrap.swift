import Foundation
import MoveoAuth
import MoveoStore

// MARK: - Start-up: the admin token, the seed file, the demo integration (CONTRACT §1)

extension EmulatorService {
    /// The admin token in force: the configured one, else the stored one, generated and printed once on the first start.
    public func resolveAdminToken(print announce: (String) -> Void) async throws -> String {
        if let configured = configuration.adminToken, !configured.isEmpty { return configured }
        let (token, created) = try await database.adminToken(orStore: { RandomID.adminToken() })
        if created { announce("admin token: \(token)") }
        return token
    }

    /// Applies the seed file; a file that cannot be read or names a wrong key stops the start.
    public func applySeed(path: String, print announce: (String) -> Void = { _ in }) async throws {
        let seed = try SeedFile(path: path, now: clock.now())
        for entry in seed.entries {
            let id = entry.record.id
            let now = clock.now()
            let customer = try entry.customerKeys.map { try customerKeyRecord($0, integrationId: id, now: now) }
            let platform = try entry.platformKey.map { [try platformKeyRecord($0, integrationId: id, now: now)] } ?? []
            let webhooks = entry.webhooks.map { settings in
                WebhookRecord(id: RandomID.webhook(), integrationId: id, name: settings.name ?? "", type: settings.type ?? "dialog",
                              url: settings.url ?? "", verificationToken: settings.verificationToken ?? "",
                              customHeaders: WebhookSettings.json(settings.customHeaders ?? []), createdAt: now)
            }
            let known = Set((try await database.integration(id: id))?.webhooks.map(\.name) ?? [])
            let stored = StoredIntegration(record: entry.record, customerKeys: customer, platformKeys: platform, webhooks: webhooks)
            let seeded = try await database.seedIntegration(stored, generatePlatformKey: {
                try platformKeyRecord(try RSAPrivateKey(generatingBits: 2048), integrationId: id, now: now)
            }, newWebhookToken: { Self.newWebhookSecret() })
            // A token generated now is shown this once, as at creation through the API.
            for settings in entry.webhooks where settings.verificationToken == nil && !known.contains(settings.name ?? "") {
                guard let webhook = seeded.webhooks.first(where: { $0.name == settings.name }) else { continue }
                announce(webhook.name == "default" ? "webhook secret for \(id): \(webhook.verificationToken)"
                                                   : "webhook token for \(id)/\(webhook.name): \(webhook.verificationToken)")
            }
            logger.info("seeded integration \(id)")
        }
    }

    /// Creates the `demo` integration from the test-only demo keys built into the binary when the database has no integration.
    public func createDemoIfEmpty() async throws {
        guard configuration.createDemo, try await database.integrationCount() == 0 else { return }
        let now = clock.now()
        let customer = try RSAPublicKey(importing: Embedded.DemoKeys.customerPublic)
        let platform = try RSAPrivateKey(pem: Embedded.DemoKeys.platformPrivate)
        let record = IntegrationRecord(id: "demo", name: "Demo", authRequired: true, sessionTimeout: Self.defaultSessionTimeout, createdAt: now)
        do {
            _ = try await database.createIntegration(StoredIntegration(
                record: record, customerKeys: [try customerKeyRecord(customer, integrationId: "demo", now: now)],
                platformKeys: [try platformKeyRecord(platform, integrationId: "demo", now: now)]))
        } catch StoreError.integrationExists {
            return  // another instance on the same shared database created it a moment ago
        }
        logger.info("created the demo integration from the test-only keys of Keys/demo (built into the binary)")
    }
}
