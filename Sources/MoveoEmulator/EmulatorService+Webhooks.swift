import Foundation
import MoveoAuth
import MoveoStore

// MARK: - Webhooks: the pinned context delivered, signed, to the customer's dialog backend (issue 7)

extension EmulatorService {
    /// A new webhook secret: 192 random bits.
    public static func newWebhookSecret() -> String { "whsec_" + Base64.urlEncode(Digest.randomBytes(24)) }

    /// Whether `text` is an absolute http(s) URL with a host.
    public static func isValidWebhookURL(_ text: String) -> Bool {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = url.host, !host.isEmpty else { return false }
        return true
    }

    /// What a message's delivery gave: the reply to store, the delivery record, and events to journal.
    struct WebhookResult {
        var reply: String
        var delivery: WebhookDeliveryRecord
        var events: [EventRecord]
    }

    /// Delivers a user message to the integration's webhook; nil when it has none.
    func deliverMessage(_ text: String, session: SessionRecord, integration: StoredIntegration) async -> WebhookResult? {
        guard let url = integration.record.webhookURL, let secret = integration.record.webhookSecret else { return nil }
        let number = session.messageCount / 2 + 1
        let body = WebhookPayload.body(event: "message", session: session, text: text, messageNumber: number)
        let at = clock.now()
        let outcome = await WebhookClient(timeout: configuration.webhookTimeout).deliver(url: url, secret: secret, body: body, sessionId: session.id)
        let (delivery, events) = record(outcome, event: "message", url: url, session: session, at: at)
        let reply: String
        if let failure = outcome.failure {
            reply = "Sorry, the assistant is unavailable right now (webhook failed: \(failure))."
        } else {
            reply = outcome.reply ?? Assistant.reply(to: text, in: session)
        }
        return WebhookResult(reply: reply, delivery: delivery, events: events)
    }

    /// Delivers the session start in the background (the session is already answered); journals the delivery.
    func deliverSessionStart(session: SessionRecord, integration: StoredIntegration) {
        guard let url = integration.record.webhookURL, let secret = integration.record.webhookSecret else { return }
        let body = WebhookPayload.body(event: "session_start", session: session, text: "", messageNumber: 0)
        let timeout = configuration.webhookTimeout
        Task {
            let at = clock.now()
            let outcome = await WebhookClient(timeout: timeout).deliver(url: url, secret: secret, body: body, sessionId: session.id)
            let (delivery, events) = record(outcome, event: "session_start", url: url, session: session, at: at)
            do {
                try await database.appendDelivery(delivery, events: events)
            } catch {
                logger.error("could not journal a webhook delivery", metadata: ["error": "\(type(of: error))"])
            }
        }
    }

    private func record(_ outcome: WebhookClient.Outcome, event: String, url: String, session: SessionRecord, at: Double)
        -> (WebhookDeliveryRecord, [EventRecord])
    {
        let delivery = WebhookDeliveryRecord(
            id: "d_" + Base64.urlEncode(Digest.randomBytes(12)), sessionId: session.id, integrationId: session.integrationId, at: at,
            event: event, url: url, requestId: outcome.requestId, status: outcome.status, durationMs: outcome.durationMs,
            signatureVerified: outcome.signatureVerified, outcome: outcome.failure == nil ? "ok" : "failed", error: outcome.failure)
        guard let failure = outcome.failure else { return (delivery, []) }
        logger.warning("webhook delivery failed: \(failure)")
        let failed = self.event("webhook_failed", integrationId: session.integrationId, sessionId: session.id, outcome: "rejected",
                                code: "webhook_failed", detail: "\(event) delivery to the webhook failed: \(failure)",
                                iss: session.issuer, sub: session.externalId)
        return (delivery, [failed])
    }
}
