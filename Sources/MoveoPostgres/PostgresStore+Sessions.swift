import Logging
import MoveoStore
import PostgresNIO

// MARK: - Sessions and messages on PostgreSQL (the same rules as AppDatabase+Sessions)

extension PostgresStore {
    /// Stores a new session, its event and the lint's observation in one transaction; `describe` sees the lint's memory as read in it.
    public func createSession(
        _ session: SessionRecord, lint probe: LintProbe?, describe: @escaping @Sendable (LintSeen) -> (event: EventRecord, lint: LintObservation?)
    ) async throws {
        try await transaction { connection in
            // Sessions of one integration are created one at a time, so the lint's memory of each sees the one before.
            guard try await connection.query("SELECT 1 FROM integrations WHERE id = \(session.integrationId) FOR SHARE", logger: self.logger)
                .decode(Int32.self).reduce(false, { _, _ in true }) else { throw StoreError.integrationNotFound(session.integrationId) }
            if probe != nil {
                try await connection.query("SELECT pg_advisory_xact_lock(hashtext(\("lint:" + session.integrationId)))", logger: self.logger)
            }
            let seen = try await probe.asyncMap { try await Self.lintSeen(connection, $0, self.logger) } ?? (false, false, false)
            let (event, lint) = describe(seen)
            try await Self.insert(connection, session, self.logger)
            try await Self.insert(connection, event, self.logger)
            try await Self.tallySession(connection, integrationId: session.integrationId, externalId: session.externalId, at: session.createdAt, self.logger)
            if let lint { try await Self.recordLint(connection, lint, self.logger) }
        }
    }

    /// Stores a user message and its reply, resets the idle time, and journals `events`, `deliveries` and the variables.
    public func appendExchange(
        sessionId: String, now: Double, userText: String, replyText: String, ids: (user: String, assistant: String), events: [EventRecord],
        deliveries: [WebhookDeliveryRecord], variables: String?
    ) async throws -> (user: MessageRecord, assistant: MessageRecord, session: SessionRecord) {
        let (userId, assistantId) = ids
        let result = try await transaction { connection -> ExchangeRows in
            // The session, locked, with its integration's timeout: one round trip.
            var found: (SessionRecord, Int64)?
            for try await row in try await connection.query(PostgresQuery(unsafeSQL: """
                SELECT \(SessionRecord.postgresColumns), (SELECT session_timeout FROM integrations WHERE integrations.id = sessions.integration_id) AS timeout
                FROM sessions WHERE id = $1 FOR UPDATE
                """, binds: Self.binds([sessionId])), logger: self.logger) {
                found = (try SessionRecord(postgres: row), try row.makeRandomAccess().value("timeout", as: Int64?.self) ?? 0)
            }
            guard let found else { throw StoreError.sessionNotFound(sessionId) }
            var session = found.0
            let timeout = found.1
            if session.endedAt != nil { throw StoreError.sessionEnded(sessionId) }
            let idle = now - session.lastSeenAt
            if idle > Double(timeout) { throw StoreError.sessionExpired(sessionId, idleSeconds: idle, timeout: Int(timeout)) }
            let seq = session.messageCount + 1
            let user = MessageRecord(id: userId, sessionId: sessionId, integrationId: session.integrationId, externalId: session.externalId,
                                     role: "user", text: userText, createdAt: now, seq: seq)
            let assistant = MessageRecord(id: assistantId, sessionId: sessionId, integrationId: session.integrationId,
                                          externalId: session.externalId, role: "assistant", text: replyText, createdAt: now, seq: seq + 1)
            try await Self.insert(connection, [user, assistant], self.logger)
            session.lastSeenAt = max(session.lastSeenAt, now)
            session.messageCount += 2
            if let variables { session.variables = variables }
            try await connection.query("""
                UPDATE sessions SET last_seen_at = \(session.lastSeenAt), message_count = \(Int64(session.messageCount)),
                    variables = \(session.variables) WHERE id = \(sessionId)
                """, logger: self.logger)
            for event in events { try await Self.insert(connection, event, self.logger) }
            for delivery in deliveries { try await Self.insert(connection, delivery, self.logger) }
            try await Self.tallyMessages(connection, integrationId: session.integrationId, externalId: session.externalId, count: 2, at: now, self.logger)
            return ExchangeRows(user: user, assistant: assistant, session: session)
        }
        return (result.user, result.assistant, result.session)
    }

    /// Changes an open session's layers or locale in one transaction (the row locked, so concurrent changes never lose each other's).
    public func updateSession<T: Sendable>(
        _ id: String, _ change: @escaping @Sendable (inout SessionRecord) throws -> (events: [EventRecord], result: T)
    ) async throws -> T {
        try await transaction { connection in
            guard var session = try await Self.session(connection, id: id, forUpdate: true, self.logger) else { throw StoreError.sessionNotFound(id) }
            if session.endedAt != nil { throw StoreError.sessionEnded(id) }
            let (events, result) = try change(&session)
            try await connection.query("""
                UPDATE sessions SET public_context = \(session.publicContext), variables = \(session.variables), locale = \(session.locale)
                WHERE id = \(id)
                """, logger: self.logger)
            for event in events { try await Self.insert(connection, event, self.logger) }
            return result
        }
    }

    /// Ends a session at `now` and journals `event`; ending an ended session changes nothing.
    public func endSession(_ id: String, now: Double, event: EventRecord) async throws {
        try await transaction { connection in
            guard let session = try await Self.session(connection, id: id, forUpdate: true, self.logger) else { throw StoreError.sessionNotFound(id) }
            guard session.endedAt == nil else { return }
            try await connection.query("UPDATE sessions SET ended_at = \(now) WHERE id = \(id)", logger: self.logger)
            try await Self.insert(connection, event, self.logger)
        }
    }

    /// One session, or nil (from the database every time: another instance may have written it).
    public func session(id: String) async throws -> SessionRecord? {
        try await client.withConnection { connection in try await Self.session(connection, id: id, forUpdate: false, self.logger) }
    }

    /// Sessions newest first (equal times by id, descending), filtered, one page.
    public func sessions(integrationId: String?, externalId: String?, limit: Int, after cursor: PageCursor?) async throws -> Page<SessionRecord> {
        let filters = [("integration_id", integrationId), ("external_id", externalId)].compactMap { name, value in value.map { (name, $0) } }
        return try await page(table: "sessions", columns: SessionRecord.postgresColumns, timeColumn: "created_at", filters: filters,
                              limit: limit, after: cursor, decode: SessionRecord.init(postgres:)) { PageCursor(time: $0.createdAt, id: $0.id) }
    }

    /// A session's messages in order.
    public func messages(sessionId: String) async throws -> [MessageRecord] {
        try await client.withConnection { connection in
            var messages: [MessageRecord] = []
            for try await row in try await connection.query("""
                SELECT id, session_id, integration_id, external_id, role, text, created_at, seq FROM messages WHERE session_id = \(sessionId) ORDER BY seq
                """, logger: self.logger) { messages.append(try MessageRecord(postgres: row)) }
            return messages
        }
    }

    /// Deletes, within one integration, a user's sessions, messages and the events that name their `sub`.
    public func deleteUser(integrationId: String, externalId: String) async throws -> (sessions: Int, messages: Int) {
        let counts = try await transaction { connection -> RemovedRows in
            guard try await Self.integrationExists(connection, integrationId, self.logger) else { throw StoreError.integrationNotFound(integrationId) }
            var ids: [String] = []
            for try await id in try await connection.query(
                "SELECT id FROM sessions WHERE integration_id = \(integrationId) AND external_id = \(externalId) FOR UPDATE", logger: self.logger
            ).decode(String.self) { ids.append(id) }
            let removed = try await Self.removeSessions(connection, integrationId: integrationId, ids: ids, self.logger)
            try await connection.query("DELETE FROM events WHERE integration_id = \(integrationId) AND sub = \(externalId)", logger: self.logger)
            return removed
        }
        return (counts.sessions, counts.messages)
    }

    /// Stores sessions with their messages and events in one transaction, counted in the usage tally.
    public func importBatch(sessions: [SessionRecord], messages: [MessageRecord], events: [EventRecord]) async throws {
        try await transaction { connection in
            for session in sessions {
                try await Self.insert(connection, session, self.logger)
                try await Self.tallySession(connection, integrationId: session.integrationId, externalId: session.externalId, at: session.createdAt, self.logger)
            }
            for message in messages {
                try await Self.insert(connection, message, self.logger)
                try await Self.tallyMessages(connection, integrationId: message.integrationId, externalId: message.role == "user" ? message.externalId : nil,
                                             count: 1, at: message.createdAt, self.logger)
            }
            for event in events { try await Self.insert(connection, event, self.logger) }
        }
    }

    // MARK: Rows

    /// What an exchange's transaction returns (a struct: tuples of records cross the transaction boundary as one value).
    struct ExchangeRows: Sendable {
        var user: MessageRecord
        var assistant: MessageRecord
        var session: SessionRecord
    }

    /// How many sessions and messages a deletion removed.
    struct RemovedRows: Sendable {
        var sessions: Int
        var messages: Int
    }

    static func session(_ connection: PostgresConnection, id: String, forUpdate: Bool, _ logger: Logger) async throws -> SessionRecord? {
        let lock = forUpdate ? " FOR UPDATE" : ""
        var found: SessionRecord?
        for try await row in try await connection.query(
            PostgresQuery(unsafeSQL: "SELECT \(SessionRecord.postgresColumns) FROM sessions WHERE id = $1\(lock)", binds: binds([id])), logger: logger
        ) { found = try SessionRecord(postgres: row) }
        return found
    }

    static func insert(_ connection: PostgresConnection, _ session: SessionRecord, _ logger: Logger) async throws {
        try await connection.query("""
            INSERT INTO sessions (id, integration_id, authenticated, external_id, issuer, context, created_at, last_seen_at, message_count,
                public_context, variables, locale, ended_at)
            VALUES (\(session.id), \(session.integrationId), \(Int64(session.authenticated ? 1 : 0)), \(session.externalId), \(session.issuer),
                \(session.context), \(session.createdAt), \(session.lastSeenAt), \(Int64(session.messageCount)), \(session.publicContext),
                \(session.variables), \(session.locale), \(session.endedAt))
            """, logger: logger)
    }

    static func insert(_ connection: PostgresConnection, _ message: MessageRecord, _ logger: Logger) async throws {
        try await insert(connection, [message], logger)
    }

    /// Inserts `messages` in one statement.
    static func insert(_ connection: PostgresConnection, _ messages: [MessageRecord], _ logger: Logger) async throws {
        guard !messages.isEmpty else { return }
        var binds = PostgresBindings()
        var rows: [String] = []
        for message in messages {
            let first = binds.count + 1
            rows.append("(" + (first..<first + 8).map { "$\($0)" }.joined(separator: ", ") + ")")
            binds.append(message.id)
            binds.append(message.sessionId)
            binds.append(message.integrationId)
            binds.append(message.externalId)
            binds.append(message.role)
            binds.append(message.text)
            binds.append(message.createdAt)
            binds.append(Int64(message.seq))
        }
        try await connection.query(PostgresQuery(unsafeSQL: """
            INSERT INTO messages (id, session_id, integration_id, external_id, role, text, created_at, seq) VALUES \(rows.joined(separator: ", "))
            """, binds: binds), logger: logger)
    }

    /// Binds for a query built as text (filters chosen at run time).
    static func binds(_ values: [String]) -> PostgresBindings {
        var bindings = PostgresBindings()
        for value in values { bindings.append(value) }
        return bindings
    }
}
