import Logging
import MoveoStore
import NIOSSL
import PostgresNIO

/// The shared store for several emulator instances (CONTRACT §12): PostgreSQL through postgres-nio.
///
/// Here: the URL, the connection pool, and the schema migrated once under an advisory lock; the `EmulatorStore`
/// methods are in the `PostgresStore+…` files. It keeps no per-process copy of anything, so no instance serves stale state.
public final class PostgresStore: Sendable {
    /// Where it is, as logs and errors may show it (no password).
    public let location: String
    /// The connection pool (renewed after an outage).
    let client: PostgresPool
    /// Query logging (silent unless the caller's logger says otherwise).
    let logger: Logger

    private init(location: String, client: PostgresPool, logger: Logger) {
        self.location = location
        self.client = client
        self.logger = logger
    }

    /// Connects to `url`, migrates the database (once, under the advisory lock, whoever else starts now) and starts a pool
    /// of at most `connections`; a database that cannot be reached, refuses the credentials or was migrated by a newer
    /// binary is a `StoreOpenError` naming the URL without its password.
    /// A lease not granted within `leaseTimeout` fails the request as `PostgresUnavailable` (503 `store_unavailable`).
    public static func open(
        url: PostgresURL, connections: Int = 10, leaseTimeout: Duration = .seconds(5), logger: Logger = Logger(label: "moveo-postgres")
    ) async throws -> PostgresStore {
        let required = ["require", "verify-ca", "verify-full"].contains(url.sslMode), disabled = url.sslMode == "disable"
        let context = try NIOSSLContext(configuration: .makeClientConfiguration())
        let tls: PostgresConnection.Configuration.TLS = disabled ? .disable : required ? .require(context) : .prefer(context)
        let poolTLS: PostgresClient.Configuration.TLS = disabled ? .disable
            : required ? .require(.makeClientConfiguration()) : .prefer(.makeClientConfiguration())
        let single = PostgresConnection.Configuration(host: url.host, port: url.port, username: url.username, password: url.password,
                                                      database: url.database, tls: tls)
        do {
            let connection = try await PostgresConnection.connect(configuration: single, id: 0, logger: logger)
            do {
                try await PostgresMigrations.migrate(connection, location: url.description, logger: logger)
                try await connection.close()
            } catch {
                try? await connection.close()
                throw error
            }
        } catch let error as StoreOpenError {
            throw error
        } catch {
            throw StoreOpenError.unavailable(location: url.description, cause: Self.cause(of: error))
        }
        var configuration = PostgresClient.Configuration(host: url.host, port: url.port, username: url.username, password: url.password,
                                                         database: url.database, tls: poolTLS)
        configuration.options.maximumConnections = max(1, connections)
        // Every connection is kept open, and none is pinged: postgres-nio schedules an idle timer and a keep-alive timer on
        // each release, and the Swift runtime keeps a cancelled sleep until its deadline — measured, the emulator's memory
        // grew by about 1.5 KB a request (100 MB after 60,000 requests) with the defaults, and not at all without them.
        // A connection the server dropped fails its next query (503 `store_unavailable`) and is replaced by the pool.
        configuration.options.minimumConnections = max(1, connections)
        configuration.options.keepAliveBehavior = nil
        // "A 2xx answer still means committed" (CONTRACT §12): a commit returns only once its WAL is flushed, whatever the server's
        // default; and the sessions are named in pg_stat_activity.
        configuration.options.additionalStartupParameters = [("synchronous_commit", "on"), ("application_name", "moveo-emulator")]
        var probe = single
        probe.options.connectTimeout = .seconds(2)
        let pool = PostgresPool(configuration: configuration, probe: probe, leaseTimeout: leaseTimeout, logger: logger)
        return PostgresStore(location: url.description, client: pool, logger: logger)
    }

    /// Closes the pool.
    public func close() async throws {
        await client.close()
    }

    /// What went wrong, in words that never include the password: the server's message, the network error, or the error's kind.
    static func cause(of error: any Error) -> String {
        guard let error = error as? PSQLError else { return String(describing: error) }
        if let message = error.serverInfo?[.message] { return message }
        if let underlying = error.underlying { return String(describing: underlying) }
        return error.code.description
    }
}
