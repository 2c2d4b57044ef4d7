import GRDB

// MARK: - Bulk import: many stored rows at once, through the same row writers and usage tally as the request path

extension AppDatabase {
    /// Stores sessions with their messages and events in one transaction (for benchmarks and fixtures): each row is
    /// written as the request path writes it, and counted in the usage tally.
    public func importBatch(sessions: [SessionRecord], messages: [MessageRecord], events: [EventRecord]) async throws {
        try await dbWriter.write { db in
            for session in sessions {
                try session.append(to: db)
                try Self.tallySession(db, integrationId: session.integrationId, externalId: session.externalId, at: session.createdAt)
            }
            for message in messages {
                try message.append(to: db)
                try Self.tallyMessages(db, integrationId: message.integrationId, externalId: message.role == "user" ? message.externalId : nil,
                                       count: 1, at: message.createdAt)
            }
            for event in events { try event.append(to: db) }
        }
    }
}
