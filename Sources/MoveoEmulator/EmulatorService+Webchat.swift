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
        // The lint's memory is read in the session's own transaction: no read (and no hop to a reader) before the write.
        try await database.createSession(session, lint: lintProbe(verified, text: token, integrationId: id)) { [self, detail] seen in
            let (lintWarnings, observation) = lint(verified, text: token, integrationId: id, forSession: true, seen: seen, now: now)
            let described = lintWarnings.isEmpty ? detail : detail + "; signer lint: " + lintWarnings.joined(separator: "; ")
            return (event("session_create", integrationId: id, sessionId: session.id, outcome: "accepted", detail: described,
                          iss: verified.issuer, sub: verified.subject), observation)
        }
        return session
    }

    /// The session and its integration, refusing an unknown one (404), an ended one (410 `session_ended`) or one idle
    /// past its timeout (410 `session_expired`); a refusal of a known session is journaled under `action`.
    public func liveSession(_ id: String, action: String = "message") async throws -> (SessionRecord, StoredIntegration) {
        guard let session = try await database.session(id: id) else { throw StoreError.sessionNotFound(id) }
        let integration = try await integration(session.integrationId)
        if session.endedAt != nil {
            throw await reject(Problem(StoreError.sessionEnded(id)), action: action, integrationId: session.integrationId, sessionId: id)
        }
        let idle = clock.now() - session.lastSeenAt
        if idle > Double(integration.record.sessionTimeout) {
            let error = StoreError.sessionExpired(id, idleSeconds: idle, timeout: integration.record.sessionTimeout)
            throw await reject(Problem(error), action: action, integrationId: session.integrationId, sessionId: id)
        }
        return (session, integration)
    }

    /// What re-checking a fresh token on an existing session gave: events to journal and words for the accepted event.
    struct FreshTokenCheck: Sendable {
        var events: [EventRecord] = []
        var detail = ""
    }

    /// Checks a fresh token sent on a session's call (§3 again, the pinned `iss`/`sub`, the pinned context) or passes when none.
    func checkFreshToken(_ token: String?, session: SessionRecord, integration: StoredIntegration, action: String) async throws -> FreshTokenCheck {
        guard let token else { return FreshTokenCheck() }
        let integrationId = integration.record.id
        var check = FreshTokenCheck()
        let report = try verify(token, for: integration)
        let verified: VerifiedToken
        switch report.result {
        case .success(let value): verified = value
        case .failure(let error):
            throw await reject(Problem(error), action: action, integrationId: integrationId, sessionId: session.id, report: report)
        }
        guard session.authenticated, verified.subject == session.externalId, verified.issuer == session.issuer else {
            let problem = Problem(.forbidden, "subject_mismatch", session.authenticated
                ? "the token's iss and sub must equal the session's pinned ones"
                : "an anonymous session cannot become an authenticated one",
                hint: session.authenticated ? "send a token for the same user, or start a new session" : "start a new session with the token")
            throw await reject(problem, action: action, integrationId: integrationId, sessionId: session.id, report: report)
        }
        if let fresh = verified.contextJSON, fresh != session.context {
            if configuration.strictPinning {
                let problem = Problem(.conflict, "context_mismatch", "the token's context differs from the one pinned at session creation",
                                      hint: "the context is fixed for a session's lifetime: start a new session to change it")
                throw await reject(problem, action: action, integrationId: integrationId, sessionId: session.id, report: report)
            }
            check.events.append(event("context_change_ignored", integrationId: integrationId, sessionId: session.id, outcome: "accepted",
                                      detail: "the token carried a different context; the pinned one stays", iss: verified.issuer, sub: verified.subject))
        }
        check.detail = " with a fresh token"
        if !verified.warnings.isEmpty { check.detail += "; accepted under --compat: " + verified.warnings.joined(separator: "; ") }
        return check
    }

    /// What a user message gave: the stored message, the stored reply, and the responses the web channel delivers.
    public struct MessageExchange: Sendable {
        /// The user's message.
        public var message: MessageRecord
        /// The assistant's reply as stored (the texts joined by newlines).
        public var reply: MessageRecord
        /// `{"type":"text","text","options"?}` and other response types, as the web channel delivers them.
        public var responses: [JSONValue]
    }

    /// Stores a message and the assistant's reply; a fresh token is verified again and must match what the session pinned.
    public func postMessage(_ text: String, token: String?, session: SessionRecord, integration: StoredIntegration) async throws -> MessageExchange {
        let integrationId = integration.record.id
        let checked = try await checkFreshToken(token, session: session, integration: integration, action: "message")
        var events = [event("message", integrationId: integrationId, sessionId: session.id, outcome: "accepted",
                            detail: "message accepted" + checked.detail, iss: session.issuer, sub: session.externalId)] + checked.events
        let standIn = WebhookAnswer.textResponse(Assistant.reply(to: text, in: session), options: nil)
        let run = await runWebhooks(text: text, session: session, integration: integration, standIn: standIn)
        events += run.events
        let texts = run.responses.compactMap { $0["type"] == .string("text") ? $0["text"]?.stringValue : nil }
        let reply = String(texts.joined(separator: "\n").prefix(WebhookAnswer.maxText))
        do {
            let stored = try await database.appendExchange(sessionId: session.id, now: clock.now(), userText: text, replyText: reply,
                                                           ids: (RandomID.message(), RandomID.message()), events: events,
                                                           deliveries: run.deliveries, variables: run.variables)
            return MessageExchange(message: stored.user, reply: stored.assistant, responses: run.responses)
        } catch let error as StoreError {
            throw await reject(Problem(error), action: "message", integrationId: integrationId, sessionId: session.id)
        }
    }
}
