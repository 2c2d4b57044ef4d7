import Logging
import MoveoStore
import PostgresNIO

// MARK: - Events, deliveries and paging on PostgreSQL (the same rules as AppDatabase+Events/+Paging/+Webhooks)

extension PostgresStore {
    /// Journals one event.
    public func appendEvent(_ event: EventRecord) async throws {
        try await client.withConnection { connection in try await Self.insert(connection, event, self.logger) }
    }

    /// Events newest first (equal times by id, descending), filtered, one page.
    public func events(integrationId: String?, sessionId: String?, outcome: String?, limit: Int, after cursor: PageCursor?) async throws -> Page<EventRecord> {
        let filters = [("integration_id", integrationId), ("session_id", sessionId), ("outcome", outcome)]
            .compactMap { name, value in value.map { (name, $0) } }
        return try await page(table: "events", columns: "id, at, integration_id, session_id, action, outcome, code, detail, iss, sub", timeColumn: "at",
                              filters: filters, limit: limit, after: cursor, decode: EventRecord.init(postgres:)) { PageCursor(time: $0.at, id: $0.id) }
    }

    /// A session's deliveries, oldest first.
    public func deliveries(sessionId: String) async throws -> [WebhookDeliveryRecord] {
        try await client.withConnection { connection in
            var deliveries: [WebhookDeliveryRecord] = []
            for try await row in try await connection.query("SELECT * FROM webhook_deliveries WHERE session_id = \(sessionId) ORDER BY at, id",
                                                            logger: self.logger) { deliveries.append(try WebhookDeliveryRecord(postgres: row)) }
            return deliveries
        }
    }

    /// One newest-first page of `table`: `filters` equal, ordered by `timeColumn` then `id`, both descending, after `cursor`
    /// (a row-value comparison, so the cursor is an index range).
    func page<Item: Sendable>(
        table: String, columns: String, timeColumn: String, filters: [(String, String)], limit: Int, after cursor: PageCursor?,
        decode: @escaping @Sendable (PostgresRow) throws -> Item, position: @escaping @Sendable (Item) -> PageCursor
    ) async throws -> Page<Item> {
        var conditions: [String] = []
        var bindings = PostgresBindings()
        for (column, value) in filters {
            bindings.append(value)
            conditions.append("\(column) = $\(bindings.count)")
        }
        if let cursor {
            bindings.append(cursor.time)
            bindings.append(cursor.id)
            conditions.append("(\(timeColumn), id) < ($\(bindings.count - 1), $\(bindings.count))")
        }
        let whereClause = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        let sql = "SELECT \(columns) FROM \(table)\(whereClause) ORDER BY \(timeColumn) DESC, id DESC LIMIT \(limit + 1)"
        let query = PostgresQuery(unsafeSQL: sql, binds: bindings)
        let rows = try await client.withConnection { connection in
            var items: [Item] = []
            for try await row in try await connection.query(query, logger: self.logger) { items.append(try decode(row)) }
            return items
        }
        let items = Array(rows.prefix(limit))
        return Page(items: items, nextCursor: rows.count > limit ? items.last.map(position) : nil)
    }

    static func insert(_ connection: PostgresConnection, _ event: EventRecord, _ logger: Logger) async throws {
        try await connection.query("""
            INSERT INTO events (id, at, integration_id, session_id, action, outcome, code, detail, iss, sub)
            VALUES (\(event.id), \(event.at), \(event.integrationId), \(event.sessionId), \(event.action), \(event.outcome), \(event.code),
                \(event.detail), \(event.iss), \(event.sub))
            """, logger: logger)
    }

    static func insert(_ connection: PostgresConnection, _ delivery: WebhookDeliveryRecord, _ logger: Logger) async throws {
        try await connection.query("""
            INSERT INTO webhook_deliveries (id, session_id, integration_id, at, event, url, request_id, status, duration_ms, signature_verified,
                outcome, error, webhook_id, type, ignored, responses)
            VALUES (\(delivery.id), \(delivery.sessionId), \(delivery.integrationId), \(delivery.at), \(delivery.event), \(delivery.url),
                \(delivery.requestId), \(delivery.status.map(Int64.init)), \(delivery.durationMs), \(Int64(delivery.signatureVerified ? 1 : 0)),
                \(delivery.outcome), \(delivery.error), \(delivery.webhookId), \(delivery.type), \(delivery.ignored), \(delivery.responses))
            """, logger: logger)
    }
}
