import GRDB

extension AppDatabase {
    // MARK: - Writes

    /// Journals one event.
    public func appendEvent(_ event: EventRecord) async throws {
        try await batcher.write { db in try event.append(to: db) }
    }

    // MARK: - Reads

    /// Events newest first (equal times by id, descending), filtered, one page.
    public func events(integrationId: String?, sessionId: String?, outcome: String?, limit: Int, after cursor: PageCursor?) async throws -> Page<EventRecord> {
        try await dbWriter.read { db in
            // With a session, its index decides (a session has few events); `+column` keeps the other terms off an index.
            var request = EventRecord.all()
            if let sessionId {
                request = request.filter(Column("session_id") == sessionId)
                if let integrationId { request = request.filter(sql: "+integration_id = ?", arguments: [integrationId]) }
                if let outcome { request = request.filter(sql: "+outcome = ?", arguments: [outcome]) }
            } else {
                if let integrationId { request = request.filter(Column("integration_id") == integrationId) }
                if let outcome { request = request.filter(Column("outcome") == outcome) }
            }
            return try Self.newestFirst(db, request, timeColumn: "at", limit: limit, after: cursor) { PageCursor(time: $0.at, id: $0.id) }
        }
    }
}
