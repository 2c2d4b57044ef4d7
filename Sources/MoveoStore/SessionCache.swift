import Foundation

/// Sessions the request path reads, kept in memory so a message needs no database read before its write.
///
/// Written through after each commit, on the writer, in commit order (`WriteBatcher`'s `onCommit`), so it only ever
/// holds committed state; dropped around every bulk deletion. A read that missed stores its result only if nothing
/// was stored or dropped since it began (the generation did not move), so a slow read cannot put back a row a
/// concurrent write just changed or deleted. Bounded by an estimate of the bytes held; when over, arbitrary
/// entries go (a miss costs one read). Empty at start: nothing survives a restart but the database.
/// `@unchecked Sendable`: the state is only touched under `lock`.
final class SessionCache: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [String: (session: SessionRecord, bytes: Int)] = [:]
    private var bytes = 0
    private var generation = 0
    /// The most bytes (estimated) the cache holds.
    let budget: Int

    /// A cache holding at most about `budget` bytes of sessions.
    init(budget: Int = 8 << 20) {
        self.budget = budget
    }

    /// The cached session, or nil with the generation to pass to `put`.
    func get(_ id: String) -> (SessionRecord?, generation: Int) { lock.withLock { (entries[id]?.session, generation) } }

    /// Stores what a read found, unless anything was stored or dropped since that read began.
    func put(_ session: SessionRecord, readAt readGeneration: Int) {
        lock.withLock { if generation == readGeneration { insert(session) } }
    }

    /// Stores a session as a write just committed it.
    func store(_ session: SessionRecord) {
        lock.withLock {
            generation += 1
            insert(session)
        }
    }

    /// Drops one session.
    func remove(_ id: String) {
        lock.withLock {
            generation += 1
            if let old = entries.removeValue(forKey: id) { bytes -= old.bytes }
        }
    }

    /// Drops everything (around deletions of many sessions: a user's data, the retention sweep, a reset).
    func removeAll() {
        lock.withLock {
            generation += 1
            entries.removeAll()
            bytes = 0
        }
    }

    /// The number of sessions held (for tests).
    var count: Int { lock.withLock { entries.count } }

    private func insert(_ session: SessionRecord) {
        let size = 512 + (session.context?.utf8.count ?? 0) + (session.publicContext?.utf8.count ?? 0) + (session.variables?.utf8.count ?? 0)
        if let old = entries.updateValue((session, size), forKey: session.id) { bytes -= old.bytes }
        bytes += size
        while bytes > budget, let victim = entries.first(where: { $0.key != session.id }) {
            entries.removeValue(forKey: victim.key)
            bytes -= victim.value.bytes
        }
    }
}
