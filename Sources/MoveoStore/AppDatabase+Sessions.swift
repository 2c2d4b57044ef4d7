import GRDB

// MARK: - Writes

extension AppDatabase {
    /// Stores a new session with what it pinned, its `accepted` event and the signer lint's observation, in one transaction;
    /// `describe` gets what the lint's memory held for `probe` (read in that transaction, so there is no read before the
    /// write and two sessions created together see each other) and gives the event and the observation.
    public func createSession(
        _ session: SessionRecord, lint probe: LintProbe?, describe: @escaping @Sendable (LintSeen) -> (event: EventRecord, lint: LintObservation?)
    ) async throws {
        try await batcher.write { db in
            let exists = try db.cachedStatement(sql: "SELECT 1 FROM integrations WHERE id = ?")
            guard try Bool.fetchOne(exists, arguments: [session.integrationId]) != nil else { throw StoreError.integrationNotFound(session.integrationId) }
            let (event, lint) = describe(try probe.map { try Self.lintSeen(db, $0) } ?? (false, false, false))
            try session.append(to: db)
            try event.append(to: db)
            try Self.tallySession(db, integrationId: session.integrationId, externalId: session.externalId, at: session.createdAt)
            if let lint { try Self.recordLint(db, lint) }
        } onCommit: { [sessionCache] _ in sessionCache.store(session) }
    }

    /// Stores a user message and its reply, resets the idle time, and journals `events`, in one transaction.
    ///
    /// Refuses with `sessionExpired` when the session was idle longer than its integration's timeout at `now`.
    public func appendExchange(
        sessionId: String, now: Double, userText: String, replyText: String, ids: (user: String, assistant: String), events: [EventRecord],
        deliveries: [WebhookDeliveryRecord], variables: String?
    ) async throws -> (user: MessageRecord, assistant: MessageRecord, session: SessionRecord) {
        try await batcher.write { db in
            let select = try db.cachedStatement(sql: "SELECT * FROM sessions WHERE id = ?")
            guard var session = try SessionRecord.fetchOne(select, arguments: [sessionId]) else { throw StoreError.sessionNotFound(sessionId) }
            if session.endedAt != nil { throw StoreError.sessionEnded(sessionId) }
            let timeoutQuery = try db.cachedStatement(sql: "SELECT session_timeout FROM integrations WHERE id = ?")
            let timeout = try Int.fetchOne(timeoutQuery, arguments: [session.integrationId]) ?? 0
            let idle = now - session.lastSeenAt
            if idle > Double(timeout) { throw StoreError.sessionExpired(sessionId, idleSeconds: idle, timeout: timeout) }
            // Messages are stored in pairs and only ever deleted with their session, so the count gives the next position.
            let seq = session.messageCount + 1
            let user = MessageRecord(id: ids.user, sessionId: sessionId, integrationId: session.integrationId, externalId: session.externalId,
                                     role: "user", text: userText, createdAt: now, seq: seq)
            let assistant = MessageRecord(id: ids.assistant, sessionId: sessionId, integrationId: session.integrationId,
                                          externalId: session.externalId, role: "assistant", text: replyText, createdAt: now, seq: seq + 1)
            try user.append(to: db)
            try assistant.append(to: db)
            session.lastSeenAt = max(session.lastSeenAt, now)
            session.messageCount += 2
            try db.cachedStatement(sql: "UPDATE sessions SET last_seen_at = ?, message_count = ? WHERE id = ?")
                .execute(arguments: [session.lastSeenAt, session.messageCount, sessionId])
            if let variables {
                session.variables = variables
                try db.cachedStatement(sql: "UPDATE sessions SET variables = ? WHERE id = ?").execute(arguments: [variables, sessionId])
            }
            for event in events { try event.append(to: db) }
            for delivery in deliveries { try delivery.insert(db) }
            try Self.tallyMessages(db, integrationId: session.integrationId, externalId: session.externalId, count: 2, at: now)
            return (user, assistant, session)
        } onCommit: { [sessionCache] in sessionCache.store($0.session) }
    }

    /// Changes an open session's context layers or locale in one transaction and journals the events `change` returns.
    ///
    /// `change` sees the stored row (so concurrent writes never lose each other's members) and may throw to store nothing;
    /// only `public_context`, `variables` and `locale` are written back. Refuses an unknown or ended session.
    public func updateSession<T: Sendable>(
        _ id: String, _ change: @escaping @Sendable (inout SessionRecord) throws -> (events: [EventRecord], result: T)
    ) async throws -> T {
        try await batcher.write { db in
            let select = try db.cachedStatement(sql: "SELECT * FROM sessions WHERE id = ?")
            guard var session = try SessionRecord.fetchOne(select, arguments: [id]) else { throw StoreError.sessionNotFound(id) }
            if session.endedAt != nil { throw StoreError.sessionEnded(id) }
            let (events, result) = try change(&session)
            try db.cachedStatement(sql: "UPDATE sessions SET public_context = ?, variables = ?, locale = ? WHERE id = ?")
                .execute(arguments: [session.publicContext, session.variables, session.locale, id])
            for event in events { try event.append(to: db) }
            return (session, result)
        } onCommit: { [sessionCache] in sessionCache.store($0.0) }.1
    }

    /// Ends a session at `now` (later calls get `session_ended`) and journals `event`; ending an ended session changes nothing.
    public func endSession(_ id: String, now: Double, event: EventRecord) async throws {
        try await batcher.write { db in
            let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT ended_at FROM sessions WHERE id = ?"), arguments: [id])
            guard let row else { throw StoreError.sessionNotFound(id) }
            guard (row["ended_at"] as Double?) == nil else { return }
            try db.cachedStatement(sql: "UPDATE sessions SET ended_at = ? WHERE id = ?").execute(arguments: [now, id])
            try event.append(to: db)
        } onCommit: { [sessionCache] in sessionCache.remove(id) }
    }

    /// Deletes, within one integration, a user's sessions, messages and the events that name their `sub`.
    public func deleteUser(integrationId: String, externalId: String) async throws -> (sessions: Int, messages: Int) {
        defer { sessionCache.removeAll() }
        return try await dbWriter.write { [sessionCache] db in
            sessionCache.removeAll()
            guard try IntegrationRecord.exists(db, key: integrationId) else { throw StoreError.integrationNotFound(integrationId) }
            let sessionIds = try String.fetchAll(db, sql: "SELECT id FROM sessions WHERE integration_id = ? AND external_id = ?",
                                                 arguments: [integrationId, externalId])
            let removed = try Self.removeSessions(db, integrationId: integrationId, ids: sessionIds)
            try db.execute(sql: "DELETE FROM events WHERE integration_id = ? AND sub = ?", arguments: [integrationId, externalId])
            return removed
        }
    }

    /// Wipes sessions, messages and events; with `all`, integrations and their keys too (the admin token stays).
    public func reset(all: Bool) async throws {
        defer {
            if all { cache.removeAll() }
            sessionCache.removeAll()
        }
        try await dbWriter.write { [sessionCache] db in
            sessionCache.removeAll()
            try MessageRecord.deleteAll(db)
            try SessionRecord.deleteAll(db)
            try EventRecord.deleteAll(db)
            for table in ["lint_fingerprints", "lint_lifetimes", "lint_counters", "usage_users", "usage_months"] {
                try db.execute(sql: "DELETE FROM \(table)")
            }
            if all { try IntegrationRecord.deleteAll(db) }
        }
    }
}

// MARK: - Reads

extension AppDatabase {
    /// One session, or nil: from memory when cached (`SessionCache`), else one primary-key statement without a snapshot
    /// transaction around it (`unsafeRead`).
    ///
    /// A miss awaits a reader rather than blocking the calling thread for one: GRDB's async reads hold their reader across an
    /// `await`, so a cooperative thread blocked waiting for a reader could be the one they need to give it back
    /// (under concurrent load every pool thread blocked that way, and the process stalled).
    public func session(id: String) async throws -> SessionRecord? {
        let (cached, generation) = sessionCache.get(id)
        if let cached { return cached }
        let session = try await dbWriter.unsafeRead { db in
            try SessionRecord.fetchOne(db.cachedStatement(sql: "SELECT * FROM sessions WHERE id = ?"), arguments: [id])
        }
        if let session { sessionCache.put(session, readAt: generation) }
        return session
    }

    /// Sessions newest first (equal times by id, descending), filtered, one page.
    public func sessions(integrationId: String?, externalId: String?, limit: Int, after cursor: PageCursor?) async throws -> Page<SessionRecord> {
        try await dbWriter.read { db in
            var request = SessionRecord.all()
            if let integrationId { request = request.filter(Column("integration_id") == integrationId) }
            if let externalId { request = request.filter(Column("external_id") == externalId) }
            return try Self.newestFirst(db, request, timeColumn: "created_at", limit: limit, after: cursor) { PageCursor(time: $0.createdAt, id: $0.id) }
        }
    }

    /// A session's messages in order.
    public func messages(sessionId: String) async throws -> [MessageRecord] {
        try await dbWriter.read { db in
            try MessageRecord.filter(Column("session_id") == sessionId).order(Column("seq")).fetchAll(db)
        }
    }

}
