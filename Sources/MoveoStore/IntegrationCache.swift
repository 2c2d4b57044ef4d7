import Foundation

/// Integrations read by the request path, kept in memory; every write of `AppDatabase` that touches
/// an integration or its keys drops it, so a cached value is never older than the last write through this store.
///
/// A read that missed stores its result only if no write happened since it began (the generation
/// did not move), so a slow read cannot put back what a concurrent write just replaced.
/// `@unchecked Sendable`: the state is only touched under `lock`.
final class IntegrationCache: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [String: StoredIntegration] = [:]
    private var generation = 0

    /// The cached integration, or nil with the generation to pass to `put`.
    func get(_ id: String) -> (StoredIntegration?, generation: Int) { lock.withLock { (entries[id], generation) } }

    /// Stores what a read found, unless a write happened since that read began.
    func put(_ integration: StoredIntegration, readAt readGeneration: Int) {
        lock.withLock { if generation == readGeneration { entries[integration.record.id] = integration } }
    }

    /// Drops one integration (after a write that touched it).
    func remove(_ id: String) { lock.withLock { generation += 1; _ = entries.removeValue(forKey: id) } }

    /// Drops everything (after a reset).
    func removeAll() { lock.withLock { generation += 1; entries.removeAll() } }
}
