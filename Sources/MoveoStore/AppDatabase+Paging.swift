import GRDB

extension AppDatabase {
    /// One newest-first page of `request`: ordered by `timeColumn` then `id`, both descending, after `cursor`.
    static func newestFirst<Record: FetchableRecord & TableRecord & Sendable>(
        _ db: Database, _ request: QueryInterfaceRequest<Record>, timeColumn: String, limit: Int, after cursor: PageCursor?,
        position: (Record) -> PageCursor
    ) throws -> Page<Record> {
        var request = request
        let time = Column(timeColumn), id = Column("id")
        if let cursor {
            // A row value, so the cursor is an index range (an OR of two terms would not be).
            request = request.filter(sql: "(\(timeColumn), id) < (?, ?)", arguments: [cursor.time, cursor.id])
        }
        let rows = try request.order(time.desc, id.desc).limit(limit + 1).fetchAll(db)
        let items = Array(rows.prefix(limit))
        return Page(items: items, nextCursor: rows.count > limit ? items.last.map(position) : nil)
    }
}
