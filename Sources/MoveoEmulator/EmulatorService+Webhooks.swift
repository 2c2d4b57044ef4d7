import Foundation
import MoveoAuth
import MoveoStore

// MARK: - Webhooks: called for each user message as Moveo calls them (CONTRACT §10)

extension EmulatorService {
    /// A new verification token: 192 random bits.
    public static func newWebhookSecret() -> String { "whsec_" + Base64.urlEncode(Digest.randomBytes(24)) }

    /// Whether `text` is an absolute http(s) URL with a host.
    /// The grammar is the OpenAPI document's `pattern`, so the two never disagree: `http(s)://`, a host of letters, digits,
    /// dots and hyphens, an optional port, then a path, query or fragment of RFC 3986 characters (`%` only before two hex digits).
    public static func isValidWebhookURL(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count <= 2048 else { return false }
        var index: Int
        if bytes.count > 7, String(decoding: bytes[0..<7], as: UTF8.self).lowercased() == "http://" {
            index = 7
        } else if bytes.count > 8, String(decoding: bytes[0..<8], as: UTF8.self).lowercased() == "https://" {
            index = 8
        } else {
            return false
        }
        let hostStart = index
        while index < bytes.count, isHostByte(bytes[index]) { index += 1 }
        guard index > hostStart else { return false }
        if index < bytes.count, bytes[index] == UInt8(ascii: ":") {
            let portStart = index + 1
            index = portStart
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
            guard (1...5).contains(index - portStart) else { return false }
        }
        if index < bytes.count {
            guard [UInt8(ascii: "/"), UInt8(ascii: "?"), UInt8(ascii: "#")].contains(bytes[index]) else { return false }
            index += 1
            while index < bytes.count {
                if bytes[index] == UInt8(ascii: "%") {
                    guard index + 2 < bytes.count, bytes[index + 1].isHexDigit, bytes[index + 2].isHexDigit else { return false }
                    index += 3
                } else {
                    guard isURLByte(bytes[index]) else { return false }
                    index += 1
                }
            }
        }
        guard let url = URL(string: text), let host = url.host, !host.isEmpty else { return false }
        return true
    }

    private static func isHostByte(_ byte: UInt8) -> Bool {
        byte.isLetterOrDigit || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-")
    }

    /// RFC 3986 unreserved, sub-delims, `:`, `@`, `/`, `?` and `#`.
    private static func isURLByte(_ byte: UInt8) -> Bool {
        byte.isLetterOrDigit || "._~!$&'()*+,;=:@/?#-".utf8.contains(byte)
    }

    /// What the webhooks of one user message gave.
    struct WebhookRun: Sendable {
        /// The assistant's responses (the stand-in's when no webhook gave any).
        var responses: [JSONValue]
        /// The variables layer after the calls, when an `output` changed it.
        var variables: String?
        /// One journal row per call.
        var deliveries: [WebhookDeliveryRecord] = []
        /// `webhook_failed` events.
        var events: [EventRecord] = []
        /// The session as the calls saw it, variables included.
        var session: SessionRecord
    }

    /// Calls the integration's webhooks for a user message in the order of §10: `first_message` (the first message, when there
    /// is one) or `pre_message`, then each `dialog` webhook in creation order, then `post_message` with the responses.
    /// Each call sees the variables written by the calls before it. `standIn` answers when no webhook gave responses.
    func runWebhooks(text: String, session: SessionRecord, integration: StoredIntegration, standIn: JSONValue) async -> WebhookRun {
        var run = WebhookRun(responses: [], session: session)
        let webhooks = integration.webhooks
        guard !webhooks.isEmpty else {
            run.responses = [standIn]
            return run
        }
        let counter = session.messageCount / 2 + 1
        let identity = WebhookClient.Identity(sessionId: session.id, accountId: (try? await database.accountId()) ?? "",
                                              accountSlug: configuration.accountSlug)
        let pre = webhooks.first { $0.type == "pre_message" }
        let before = counter == 1 ? (webhooks.first { $0.type == "first_message" } ?? pre) : pre
        var responses: [JSONValue] = []
        if let before, case .success(let given) = await call(before, text: text, counter: counter, identity: identity, run: &run) {
            responses += given
        }
        for dialog in webhooks where dialog.type == "dialog" {
            switch await call(dialog, text: text, counter: counter, identity: identity, run: &run) {
            case .success(let given): responses += given
            case .failure(let reason):
                responses.append(WebhookAnswer.textResponse("Sorry, the assistant is unavailable right now (webhook failed: \(reason.text)).",
                                                            options: nil))
            }
        }
        run.responses = responses.isEmpty ? [standIn] : responses
        if let post = webhooks.first(where: { $0.type == "post_message" }) {
            _ = await call(post, text: text, counter: counter, identity: identity, run: &run, output: run.responses)
        }
        return run
    }

    /// One call: the body from the session as it now is, the answer's `output` merged into `run`'s variables.
    private func call(
        _ webhook: WebhookRecord, text: String, counter: Int, identity: WebhookClient.Identity, run: inout WebhookRun, output: [JSONValue]? = nil
    ) async -> Result<[JSONValue], WebhookClient.Reason> {
        let body = WebhookPayload.body(session: run.session, text: text, userMessageCounter: counter, output: output)
        let at = clock.now()
        let outcome = await WebhookClient(timeout: configuration.webhookTimeout)
            .deliver(url: webhook.url, token: webhook.verificationToken, body: body, identity: identity,
                     customHeaders: WebhookSettings.headers(json: webhook.customHeaders))
        var result: Result<[JSONValue], WebhookClient.Reason>
        var ignored: [String] = []
        if let failure = outcome.failure {
            result = .failure(WebhookClient.Reason(text: failure))
        } else {
            switch WebhookAnswer.parse(outcome.body, contentType: outcome.contentType) {
            case .failure(let reason): result = .failure(reason)
            case .success(let answer):
                result = .success(answer.responses)
                if let members = answer.output?.objectMembers {
                    let written = ContextLayers.write(members, into: run.session.variablesLayer, private: run.session.privateLayer)
                    let layer = JSONWriter.string(written.layer)
                    if layer.utf8.count > ContextLayers.maxLayerBytes {
                        result = .failure(WebhookClient.Reason(
                            text: "the webhook's output would make the variables \(layer.utf8.count) bytes (at most \(ContextLayers.maxLayerBytes))"))
                    } else {
                        run.session.variables = layer
                        run.variables = layer
                        ignored = written.ignored
                    }
                }
            }
        }
        let failure: String? = if case .failure(let reason) = result { reason.text } else { nil }
        let given: [JSONValue]? = if case .success(let responses) = result { responses } else { nil }
        run.deliveries.append(WebhookDeliveryRecord(
            id: RandomID.delivery(), sessionId: run.session.id, integrationId: run.session.integrationId, at: at, event: "message", url: webhook.url,
            requestId: outcome.requestId, status: outcome.status, durationMs: outcome.durationMs, signatureVerified: outcome.signatureVerified,
            outcome: failure == nil ? "ok" : "failed", error: failure, webhookId: webhook.id, type: webhook.type,
            ignored: JSONWriter.string(.array(ignored.map(JSONValue.string))), responses: given.map { JSONWriter.string(.array($0)) }))
        if let failure {
            logger.warning("webhook call failed", metadata: ["type": "\(webhook.type)", "reason": "\(failure)"])
            run.events.append(event("webhook_failed", integrationId: run.session.integrationId, sessionId: run.session.id, outcome: "rejected",
                                    code: "webhook_failed", detail: "\(webhook.type) webhook \"\(webhook.name)\" failed: \(failure)",
                                    iss: run.session.issuer, sub: run.session.externalId))
        }
        if !ignored.isEmpty {
            run.events.append(event("webhook_output", integrationId: run.session.integrationId, sessionId: run.session.id, outcome: "rejected",
                                    code: "context_pinned",
                                    detail: "\(webhook.type) webhook \"\(webhook.name)\"'s output tried to change \(Self.pointerList(ignored)), "
                                        + "which the private context defines; ignored", iss: run.session.issuer, sub: run.session.externalId))
        }
        return result
    }
}
