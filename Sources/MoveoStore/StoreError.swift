import Foundation

/// The store's refusals; the service maps each to its CONTRACT §2 code in one place.
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// An integration with this id exists already.
    case integrationExists(String)
    /// No integration has this id.
    case integrationNotFound(String)
    /// No session has this id.
    case sessionNotFound(String)
    /// The session was idle longer than its integration's timeout.
    case sessionExpired(String, idleSeconds: Double, timeout: Int)
    /// The session was ended (`DELETE`, the web client's `destroy()`).
    case sessionEnded(String)
    /// The integration has no customer key with this kid.
    case keyNotFound(String)
    /// The integration has no webhook with this id.
    case webhookNotFound(String)
    /// A second webhook of a type there may be one of, a name already used, or one webhook too many.
    case webhookExists(String)

    /// A sentence for logs and error details.
    public var description: String {
        switch self {
        case .integrationExists(let id): "an integration with id \"\(id)\" exists already"
        case .integrationNotFound(let id): "no integration has id \"\(id)\""
        case .sessionNotFound: "no session has this id"
        case .sessionExpired(_, let idle, let timeout): "the session was idle \(Int(idle)) s, longer than its timeout of \(timeout) s"
        case .sessionEnded: "the session was ended; its records stay for the admin API"
        case .keyNotFound(let kid): "the integration has no customer key with kid \"\(kid)\""
        case .webhookNotFound(let id): "the integration has no webhook with id \"\(id)\""
        case .webhookExists(let reason): reason
        }
    }
}

/// Why a store could not be opened (a start-up error: the process names it and exits non-zero).
public enum StoreOpenError: Error, Sendable, Equatable, CustomStringConvertible, LocalizedError {
    /// The database has migrations this binary does not know: a newer moveo-emulator wrote it.
    case newerSchema(location: String, unknownMigrations: [String])
    /// The database could not be reached or refused the connection (the cause in words, never the password).
    case unavailable(location: String, cause: String)

    /// A sentence naming the database and the cause.
    public var description: String {
        switch self {
        case .newerSchema(let location, let unknown):
            "\(location) was written by a newer moveo-emulator (migrations this binary does not know: \(unknown.joined(separator: ", "))); "
                + "run that version, or point --db at another database"
        case .unavailable(let location, let cause):
            "cannot open \(location): \(cause)"
        }
    }

    /// The same sentence, for `localizedDescription`.
    public var errorDescription: String? { description }
}
