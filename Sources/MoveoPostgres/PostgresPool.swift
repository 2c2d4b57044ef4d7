import Logging
import NIOConcurrencyHelpers
import PostgresNIO
import _ConnectionPoolModule

/// The connection pool behind a `PostgresStore`, made to answer promptly through a database outage (CONTRACT §12).
///
/// postgres-nio's pool holds a lease request until its circuit breaker trips (a minute of failed connection attempts)
/// and, once the database is back, reconnects only after its back-off (up to a minute more). Here a lease not granted
/// within `leaseTimeout` fails as `PostgresUnavailable`, and a lease refused by a pool that has given up (its breaker
/// open: no connection left) is retried on a fresh pool as soon as a new connection succeeds, so requests answer 503
/// within seconds of an outage and 2xx again as soon as the database is back. An overloaded pool is never replaced.
final class PostgresPool: Sendable {
    private struct Current: Sendable {
        var client: PostgresClient
        var runner: Task<Void, Never>
        var generation: Int
    }

    private let configuration: PostgresClient.Configuration
    private let probe: PostgresConnection.Configuration
    private let leaseTimeout: Duration
    private let logger: Logger
    private let current: NIOLockedValueBox<Current>
    /// Times out leases that wait too long.
    private let watchdog = LeaseWatchdog()
    /// When the last probe started (at most one a second), and whether one is running.
    private let probing = NIOLockedValueBox<(running: Bool, last: ContinuousClock.Instant?)>((false, nil))

    init(configuration: PostgresClient.Configuration, probe: PostgresConnection.Configuration, leaseTimeout: Duration, logger: Logger) {
        self.configuration = configuration
        self.probe = probe
        self.leaseTimeout = leaseTimeout
        self.logger = logger
        current = NIOLockedValueBox(Self.start(configuration, logger: logger, generation: 0))
    }

    /// Runs `body` on a pooled connection; a lease that cannot be had in time is `PostgresUnavailable` (the body never
    /// ran, so it is tried once more when a fresh pool can connect). Once the body runs, it is never abandoned.
    func withConnection<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        let pool = current.withLockedValue { $0 }
        do {
            return try await Self.lease(pool.client, timeout: leaseTimeout, watchdog: watchdog, body)
        } catch let failure as LeaseFailure {
            guard failure.poolGaveUp, await renew(after: pool.generation) else { throw PostgresUnavailable(cause: failure.cause) }
            do {
                return try await Self.lease(current.withLockedValue { $0.client }, timeout: leaseTimeout, watchdog: watchdog, body)
            } catch let again as LeaseFailure {
                throw PostgresUnavailable(cause: again.cause)
            }
        }
    }

    /// Stops the pool (its open connections are closed).
    func close() async {
        watchdog.stop()
        let runner = current.withLockedValue { $0.runner }
        runner.cancel()
        await runner.value
    }

    /// The lease failed before the body ran: the pool's own error, or no connection within the timeout.
    struct LeaseFailure: Error {
        let cause: String
        /// The pool refused the lease because it has no connection and stopped trying for now (or was replaced).
        var poolGaveUp = false
    }

    /// Leases a connection and runs `body` on it, unless `watchdog` times the lease out first: whichever of "leased" and
    /// "timed out" comes first wins (the lease runs in its own task, which the watchdog cancels).
    private static func lease<T: Sendable>(
        _ client: PostgresClient, timeout: Duration, watchdog: LeaseWatchdog, _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        let phase = NIOLockedValueBox(LeasePhase.waiting)
        let task = Task<T, any Error> {
            do {
                return try await client.withConnection { connection in
                    let started = phase.withLockedValue { state in
                        guard state == .waiting else { return false }
                        state = .running
                        return true
                    }
                    guard started else { throw LeaseFailure(cause: "no connection within \(timeout)") }
                    return try await body(connection)
                }
            } catch let error as ConnectionPoolError {
                switch phase.withLockedValue({ $0 }) {
                case .running: throw error
                case .timedOut: throw LeaseFailure(cause: "no connection within \(timeout)")
                case .waiting:
                    let gaveUp = error == .connectionCreationCircuitBreakerTripped || error == .poolShutdown
                    throw LeaseFailure(cause: gaveUp ? "no connection could be made" : "the lease was refused", poolGaveUp: gaveUp)
                }
            }
        }
        let ticket = watchdog.watch(until: .now + timeout, phase: phase) { task.cancel() }
        defer { watchdog.forget(ticket) }
        return try await withTaskCancellationHandler { try await task.value } onCancel: { task.cancel() }
    }

    /// After a lease failure on pool `generation`: when a fresh connection to the database succeeds, a new pool replaces
    /// that one; true when a pool newer than `generation` is in place. At most one probe runs at a time, one a second.
    private func renew(after generation: Int) async -> Bool {
        if current.withLockedValue({ $0.generation }) > generation { return true }
        let now = ContinuousClock.now
        let mayProbe = probing.withLockedValue { state in
            if state.running { return false }
            if let last = state.last, last.duration(to: now) < .seconds(1) { return false }
            state = (true, now)
            return true
        }
        guard mayProbe else { return false }
        defer { probing.withLockedValue { $0.running = false } }
        do {
            let connection = try await PostgresConnection.connect(configuration: probe, id: -1, logger: logger)
            try? await connection.close()
        } catch {
            return false
        }
        let retired = current.withLockedValue { pool -> Current? in
            guard pool.generation == generation else { return nil }
            let old = pool
            pool = Self.start(configuration, logger: logger, generation: generation + 1)
            return old
        }
        if let retired {
            logger.warning("the database answers again: a fresh connection pool replaces the one that gave up during the outage")
            retired.runner.cancel()
        }
        return true
    }

    private static func start(_ configuration: PostgresClient.Configuration, logger: Logger, generation: Int) -> Current {
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        // Started at once, so the pool runs before the first lease (postgres-nio warns about a lease before `run()`).
        return Current(client: client, runner: startImmediately { await client.run() }, generation: generation)
    }

    private static func startImmediately(_ body: @escaping @Sendable () async -> Void) -> Task<Void, Never> {
        #if os(Linux)
        return Task.immediate { await body() }
        #else
        if #available(macOS 26, *) { return Task.immediate { await body() } }
        return Task { await body() }
        #endif
    }
}

/// The database could not be reached for a lease (CONTRACT §12: 503 `store_unavailable`); the cause never holds a password.
public struct PostgresUnavailable: Error, CustomStringConvertible {
    /// What failed, in words.
    public let cause: String

    public var description: String { "the database could not be reached: \(cause)" }
}
