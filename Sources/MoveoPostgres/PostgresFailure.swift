import PostgresNIO
import _ConnectionPoolModule

/// Which PostgreSQL failures mean "the database is not there right now" (CONTRACT §12: a 503, and recovery when it is back).
public enum PostgresFailure {
    /// Whether `error` is a lost or refused connection, a server shutting down, or a pool that could not connect.
    public static func isUnavailable(_ error: any Error) -> Bool {
        // The pool gives up on a lease while it cannot connect (its circuit breaker), and keeps retrying behind it.
        if error is ConnectionPoolError || error is PostgresUnavailable { return true }
        guard let error = error as? PSQLError else { return false }
        switch error.code {
        case .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown, .poolClosed:
            return true
        case .server:
            // Class 08: connection exceptions; 57P01–57P03: administrator shutdown, crash shutdown, cannot connect now.
            let state = error.serverInfo?[.sqlState] ?? ""
            return state.hasPrefix("08") || state.hasPrefix("57P")
        default:
            return false
        }
    }
}
