import Hummingbird
import MoveoAuth
import MoveoPostgres
import MoveoStore

// MARK: - Domain errors to problems: the one place codes meet statuses

extension Problem {
    /// The problem for a token or key refusal.
    public init(_ error: AuthError) {
        self.init(Self.status(of: error.code), error.code.rawValue, error.detail, claim: error.claim, hint: error.hint)
    }

    /// The problem for a store refusal.
    public init(_ error: StoreError) {
        switch error {
        case .integrationExists: self.init(.conflict, "integration_exists", error.description, hint: "choose another integration_id, or PATCH the existing one")
        case .integrationNotFound: self.init(.notFound, "integration_not_found", error.description)
        case .sessionNotFound: self.init(.notFound, "session_not_found", error.description)
        case .sessionExpired: self.init(.gone, "session_expired", error.description, hint: "start a new session with a fresh identity token")
        case .sessionEnded: self.init(.gone, "session_ended", error.description, hint: "start a new session")
        case .keyNotFound: self.init(.notFound, "key_not_found", error.description)
        case .webhookNotFound: self.init(.notFound, "webhook_not_found", error.description)
        case .webhookExists: self.init(.conflict, "webhook_exists", error.description,
                                       hint: "an integration has at most one first_message, pre_message and post_message webhook, unique names, 20 in all")
        }
    }

    /// The HTTP status of each auth code (CONTRACT §2).
    static func status(of code: AuthErrorCode) -> HTTPResponse.Status {
        switch code {
        case .tokenTooLarge, .contextTooLarge: .contentTooLarge
        case .contextIncomplete, .contextKeyUnwrapFailed, .contextKeyInvalid, .contextIVInvalid, .contextDecryptFailed, .contextNotJSON:
            .unprocessableContent
        case .keyInvalid, .privateKeyNotAllowed, .keyTooSmall: .badRequest
        default: .unauthorized
        }
    }

    /// Any error as a problem; an unexpected one becomes a 500 whose detail names no internals.
    public static func from(_ error: any Error) -> Problem {
        switch error {
        case let problem as Problem: return problem
        case let auth as AuthError: return Problem(auth)
        case let store as StoreError: return Problem(store)
        case let http as HTTPError where http.status == .notFound: return .notFound
        case let http as HTTPError where http.status == .contentTooLarge: return .payloadTooLarge
        case let http as HTTPError:
            return Problem(http.status, http.status.code < 500 ? "invalid_request" : "internal_error", http.body ?? http.status.reasonPhrase)
        case _ where PostgresFailure.isUnavailable(error):
            return Problem(.serviceUnavailable, "store_unavailable", "the database could not be reached; this request was not acknowledged as stored",
                           hint: "retry: the emulator reconnects by itself once the database is back")
        default:
            return Problem(.internalServerError, "internal_error", "the emulator failed unexpectedly; the log has the details")
        }
    }
}
