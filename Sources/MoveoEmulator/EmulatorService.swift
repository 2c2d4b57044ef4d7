import Logging
import MoveoAuth
import MoveoStore

/// The emulator's behaviour without HTTP: integrations, sessions, messages, verification, journal.
public struct EmulatorService: Sendable {
    /// The store.
    public let database: any EmulatorStore
    /// The clock every rule reads.
    public let clock: EmulatorClock
    /// Parsed keys per integration.
    public let keys: KeyringCache
    /// The options of CONTRACT §1.
    public let configuration: EmulatorConfiguration
    /// The log (never a token, context or key).
    public let logger: Logger

    /// Creates the service over a store.
    public init(database: any EmulatorStore, configuration: EmulatorConfiguration, clock: EmulatorClock? = nil, logger: Logger? = nil) {
        self.database = database
        self.configuration = configuration
        self.clock = clock ?? EmulatorClock(fixedNow: configuration.fixedNow)
        self.keys = KeyringCache()
        self.logger = logger ?? Logger(label: "moveo-emulator")
    }

    /// The verification rules at this moment.
    public var policy: VerificationPolicy {
        VerificationPolicy(now: clock.now(), leeway: configuration.leeway, maxLifetime: configuration.maxTokenLifetime, compat: configuration.compat)
    }

    /// The integration, or `integration_not_found`.
    public func integration(_ id: String) async throws -> StoredIntegration {
        guard let stored = try await database.integration(id: id) else { throw StoreError.integrationNotFound(id) }
        return stored
    }

    /// Verifies `token` for `integration` now, reporting every step.
    public func verify(_ token: String?, for integration: StoredIntegration) throws -> VerificationReport {
        TokenVerifier(keyring: try keys.keys(for: integration).keyring, policy: policy).verify(token)
    }

    /// A journal event at the current time.
    func event(
        _ action: String, integrationId: String?, sessionId: String?, outcome: String, code: String? = nil, detail: String,
        iss: String? = nil, sub: String? = nil
    ) -> EventRecord {
        EventRecord(id: RandomID.event(), at: clock.now(), integrationId: integrationId, sessionId: sessionId, action: action, outcome: outcome,
                    code: code, detail: detail, iss: iss, sub: sub)
    }

    /// Journals a refusal and returns it as a problem to throw.
    func reject(_ problem: Problem, action: String, integrationId: String?, sessionId: String?, report: VerificationReport? = nil) async -> Problem {
        var detail = problem.detail
        if let hint = problem.hint { detail += " — hint: \(hint)" }
        let event = event(action, integrationId: integrationId, sessionId: sessionId, outcome: "rejected", code: problem.code, detail: detail,
                          iss: report?.claims?["iss"]?.stringValue, sub: report?.claims?["sub"]?.stringValue)
        do {
            try await database.appendEvent(event)
        } catch {
            logger.error("could not journal a rejection", metadata: ["code": "\(problem.code)", "error": "\(type(of: error))"])
        }
        return problem
    }
}
