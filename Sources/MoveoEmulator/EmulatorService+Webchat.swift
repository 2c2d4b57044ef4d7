import MoveoAuth
import MoveoStore

// MARK: - Web chat: sessions and messages (CONTRACT §4)

extension EmulatorService {
    /// Creates a session: verifies the token (required when the integration says so) and pins iss, sub and context.
    public func createSession(in integration: StoredIntegration, token: String?) async throws -> SessionRecord {
        let id = integration.record.id
        let now = clock.now()
        guard let token else {
            guard !integration.record.authRequired else {
                let report = try verify(nil, for: integration)
                throw await reject(Problem(report.error!), action: "session_create", integrationId: id, sessionId: nil)
            }
            let session = SessionRecord(id: RandomID.session(), integrationId: id, authenticated: false, externalId: nil, issuer: nil,
                                        context: nil, createdAt: now, lastSeenAt: now)
            try await database.createSession(session, event: event("session_create", integrationId: id, sessionId: session.id,
                                                                    outcome: "accepted", detail: "anonymous session created"))
            deliverSessionStart(session: session, integration: integration)
            return session
        }
        let report = try verify(token, for: integration)
        let verified: VerifiedToken
        switch report.result {
        case .success(let value): verified = value
        case .failure(let error):
            throw await reject(Problem(error), action: "session_create", integrationId: id, sessionId: nil, report: report)
        }
        let session = SessionRecord(id: RandomID.session(), integrationId: id, authenticated: true, externalId: verified.subject,
                                    issuer: verified.issuer, context: verified.contextJSON, createdAt: now, lastSeenAt: now)
        var detail = "session created for sub \"\(JSONWriter.truncated(verified.subject))\""
        detail += verified.contextCipher.map { " with a \($0) context" } ?? " without a context"
        if !verified.warnings.isEmpty { detail += "; accepted under --compat: " + verified.warnings.joined(separator: "; ") }
        try await database.createSession(session, event: event("session_create", integrationId: id, sessionId: session.id, outcome: "accepted",
                                                                detail: detail, iss: verified.issuer, sub: verified.subject))
        deliverSessionStart(session: session, integration: integration)
        return session
    }

    /// The session and its integration, refusing an unknown one (404) or one idle past its timeout (410).
    public func liveSession(_ id: String) async throws -> (SessionRecord, StoredIntegration) {
        guard let session = try database.session(id: id) else { throw StoreError.sessionNotFound(id) }
        let integration = try await integration(session.integrationId)
        let idle = clock.now() - session.lastSeenAt
        if idle > Double(integration.record.sessionTimeout) {
            let error = StoreError.sessionExpired(id, idleSeconds: idle, timeout: integration.record.sessionTimeout)
            throw await reject(Problem(error), action: "message", integrationId: session.integrationId, sessionId: id)
        }
        return (session, integration)
    }

    /// Stores a message and the assistant's reply; a fresh token is verified again and must match what the session pinned.
    public func postMessage(
        _ text: String, token: String?, session: SessionRecord, integration: StoredIntegration
    ) async throws -> (message: MessageRecord, reply: MessageRecord) {
        let integrationId = integration.record.id
        var events: [EventRecord] = []
        var detail = "message accepted"
        if let token {
            let report = try verify(token, for: integration)
            let verified: VerifiedToken
            switch report.result {
            case .success(let value): verified = value
            case .failure(let error):
                throw await reject(Problem(error), action: "message", integrationId: integrationId, sessionId: session.id, report: report)
            }
            guard session.authenticated, verified.subject == session.externalId, verified.issuer == session.issuer else {
                let problem = Problem(.forbidden, "subject_mismatch", session.authenticated
                    ? "the token's iss and sub must equal the session's pinned ones"
                    : "an anonymous session cannot become an authenticated one",
                    hint: session.authenticated ? "send a token for the same user, or start a new session" : "start a new session with the token")
                throw await reject(problem, action: "message", integrationId: integrationId, sessionId: session.id, report: report)
            }
            if let fresh = verified.contextJSON, fresh != session.context {
                if configuration.strictPinning {
                    let problem = Problem(.conflict, "context_mismatch", "the token's context differs from the one pinned at session creation",
                                          hint: "the context is fixed for a session's lifetime: start a new session to change it")
                    throw await reject(problem, action: "message", integrationId: integrationId, sessionId: session.id, report: report)
                }
                events.append(event("context_change_ignored", integrationId: integrationId, sessionId: session.id, outcome: "accepted",
                                    detail: "the token carried a different context; the pinned one stays", iss: verified.issuer, sub: verified.subject))
            }
            detail = "message accepted with a fresh token"
            if !verified.warnings.isEmpty { detail += "; accepted under --compat: " + verified.warnings.joined(separator: "; ") }
        }
        events.insert(event("message", integrationId: integrationId, sessionId: session.id, outcome: "accepted", detail: detail,
                            iss: session.issuer, sub: session.externalId), at: 0)
        var reply = Assistant.reply(to: text, in: session)
        var delivery: WebhookDeliveryRecord?
        if let webhook = await deliverMessage(text, session: session, integration: integration) {
            reply = webhook.reply
            delivery = webhook.delivery
            events += webhook.events
        }
        do {
            let stored = try await database.appendExchange(sessionId: session.id, now: clock.now(), userText: text, replyText: reply,
                                                           ids: (RandomID.message(), RandomID.message()), events: events, delivery: delivery)
            return (stored.user, stored.assistant)
        } catch let error as StoreError {
            throw await reject(Problem(error), action: "message", integrationId: integrationId, sessionId: session.id)
        }
    }
}
