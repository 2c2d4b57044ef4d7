import MoveoAuth
import MoveoStore

// MARK: - Web chat: the public context layer, the locale, ending a session (CONTRACT §9)

extension EmulatorService {
    /// What a context update did: the pointers stored and those the private context defines (never a value).
    public struct ContextUpdate: Sendable, Equatable {
        /// Pointers written to the public layer, sorted.
        public var applied: [String]
        /// Pointers the private context defines, not stored, sorted.
        public var ignored: [String]
    }

    /// Writes `update` into the session's public layer; private pointers are ignored, reported and journaled (`context_pinned`).
    public func updateContext(
        _ update: [(String, JSONValue)], token: String?, session: SessionRecord, integration: StoredIntegration
    ) async throws -> ContextUpdate {
        let integrationId = integration.record.id
        let checked = try await checkFreshToken(token, session: session, integration: integration, action: "context_update")
        let detail = checked.detail
        let result = try await database.updateSession(session.id) { stored in
            let written = ContextLayers.write(update, into: stored.publicLayer, private: stored.privateLayer)
            let text = JSONWriter.string(written.layer)
            guard text.utf8.count <= ContextLayers.maxLayerBytes else {
                throw Problem(.contentTooLarge, "context_too_large",
                              "the public context would be \(text.utf8.count) bytes as JSON; at most \(ContextLayers.maxLayerBytes) are kept",
                              hint: "remove members with null, or keep large data in your backend")
            }
            stored.publicContext = text
            let summary = "applied \(Self.pointerList(written.applied)); ignored \(Self.pointerList(written.ignored))"
            let event = written.ignored.isEmpty
                ? self.event("context_update", integrationId: integrationId, sessionId: stored.id, outcome: "accepted",
                             detail: "context update \(summary)\(detail)", iss: stored.issuer, sub: stored.externalId)
                : self.event("context_update", integrationId: integrationId, sessionId: stored.id, outcome: "rejected", code: "context_pinned",
                             detail: "the private context defines \(Self.pointerList(written.ignored)), which cannot be changed; \(summary)\(detail)",
                             iss: stored.issuer, sub: stored.externalId)
            return ([event] + checked.events, ContextUpdate(applied: written.applied, ignored: written.ignored))
        }
        return result
    }

    /// Sets the session's locale (a BCP 47 tag, checked by the caller).
    public func setLocale(_ locale: String, session: SessionRecord) async throws {
        _ = try await database.updateSession(session.id) { stored in
            stored.locale = locale
            return ([], ())
        }
    }

    /// Ends the session: later messages, context and locale calls get `session_ended`; its records stay.
    public func endSession(_ id: String) async throws {
        guard let session = try await database.session(id: id) else { throw StoreError.sessionNotFound(id) }
        let event = event("session_end", integrationId: session.integrationId, sessionId: id, outcome: "accepted",
                          detail: "session ended by the web client", iss: session.issuer, sub: session.externalId)
        try await database.endSession(id, now: clock.now(), event: event)
    }

    /// Whether `locale` is a tag of 2–35 characters `[A-Za-z0-9-]`.
    public static func isValidLocale(_ locale: String) -> Bool {
        (2...35).contains(locale.utf8.count) && locale.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x2D
        }
    }

    /// `["/a", "/b"]` as text for a journal line, or `nothing`.
    static func pointerList(_ pointers: [String]) -> String {
        pointers.isEmpty ? "nothing" : "[" + pointers.map { JSONWriter.truncated($0, limit: 120) }.joined(separator: ", ") + "]"
    }
}
