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
    /// The integration has no customer key with this kid.
    case keyNotFound(String)

    /// A sentence for logs and error details.
    public var description: String {
        switch self {
        case .integrationExists(let id): "an integration with id \"\(id)\" exists already"
        case .integrationNotFound(let id): "no integration has id \"\(id)\""
        case .sessionNotFound: "no session has this id"
        case .sessionExpired(_, let idle, let timeout): "the session was idle \(Int(idle)) s, longer than its timeout of \(timeout) s"
        case .keyNotFound(let kid): "the integration has no customer key with kid \"\(kid)\""
        }
    }
}
