import MoveoAuth
import MoveoStore

// MARK: - An integration's webhooks: created, changed, rotated (CONTRACT §10)

extension EmulatorService {
    /// Adds a webhook; a missing verification token is generated (and shown once by the caller).
    public func createWebhook(integrationId: String, settings: WebhookSettings) async throws -> WebhookRecord {
        _ = try await integration(integrationId)
        let record = WebhookRecord(
            id: RandomID.webhook(), integrationId: integrationId, name: settings.name ?? "", type: settings.type ?? "dialog", url: settings.url ?? "",
            verificationToken: settings.verificationToken ?? Self.newWebhookSecret(),
            customHeaders: WebhookSettings.json(settings.customHeaders ?? []), createdAt: clock.now())
        return try await database.createWebhook(record)
    }

    /// Changes a webhook's name, URL and/or custom headers.
    public func updateWebhook(integrationId: String, webhookId: String, settings: WebhookSettings) async throws -> WebhookRecord {
        try await database.updateWebhook(integrationId: integrationId, webhookId: webhookId, name: settings.name, url: settings.url,
                                         customHeaders: settings.customHeaders.map(WebhookSettings.json))
    }

    /// Gives a webhook a new generated verification token.
    public func rotateWebhookToken(integrationId: String, webhookId: String) async throws -> WebhookRecord {
        try await database.setWebhookToken(integrationId: integrationId, webhookId: webhookId, token: Self.newWebhookSecret())
    }

    /// `{"account_id","account_slug"}`: what webhook calls carry as `X-Moveo-Account-Id` / `-Slug`.
    public func account() async throws -> (id: String, slug: String) {
        (try await database.accountId(), configuration.accountSlug)
    }
}
