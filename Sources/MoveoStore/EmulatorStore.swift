/// Everything the emulator needs from storage (CONTRACT §12): one interface, so that SQLite (`AppDatabase`, the embedded
/// default) and a shared database for several instances can stand behind the same service.
///
/// Rules live in the service, not here: a store keeps rows consistent (one transaction per method) and answers with
/// `StoreError` where a row is missing or taken. A write's `async` return means it is committed.
public protocol EmulatorStore: Sendable {
    // MARK: Integrations and keys

    /// Creates an integration with its keys; refuses a taken id (`integrationExists`) and changes nothing then.
    func createIntegration(_ integration: StoredIntegration) async throws -> StoredIntegration
    /// Creates or updates a seeded integration (same id, name, flags, customer keys; a platform key only when it has none).
    func seedIntegration(
        _ seed: StoredIntegration, generatePlatformKey: @Sendable () throws -> PlatformKeyRecord, newWebhookToken: @Sendable () -> String
    ) async throws -> StoredIntegration
    /// Changes name, `auth_required` and/or `session_timeout`.
    func updateIntegration(id: String, name: String?, authRequired: Bool?, sessionTimeout: Int?) async throws -> StoredIntegration
    /// Deletes an integration with its keys, sessions, messages and events.
    func deleteIntegration(id: String) async throws
    /// Replaces every customer key (`replace`) or adds one.
    func setCustomerKeys(integrationId id: String, keys: [CustomerKeyRecord], replace: Bool) async throws -> StoredIntegration
    /// Removes one customer key (`keyNotFound` when absent).
    func deleteCustomerKey(integrationId id: String, kid: String) async throws -> StoredIntegration
    /// Makes `newKey` the current platform key; the current one becomes the previous one.
    func rotatePlatformKey(integrationId id: String, newKey: PlatformKeyRecord) async throws -> StoredIntegration
    /// One integration with its keys and webhooks, or nil.
    func integration(id: String) async throws -> StoredIntegration?
    /// Every integration, oldest first.
    func integrations() async throws -> [StoredIntegration]
    /// How many integrations there are.
    func integrationCount() async throws -> Int

    // MARK: Webhooks

    /// Adds a webhook (`webhookExists` for a second event webhook of a type, a taken name, or a 21st).
    func createWebhook(_ webhook: WebhookRecord) async throws -> WebhookRecord
    /// Changes a webhook's name, URL and/or custom headers.
    func updateWebhook(integrationId: String, webhookId: String, name: String?, url: String?, customHeaders: String?) async throws -> WebhookRecord
    /// Replaces a webhook's verification token.
    func setWebhookToken(integrationId: String, webhookId: String, token: String) async throws -> WebhookRecord
    /// Deletes a webhook (its deliveries stay).
    func deleteWebhook(integrationId: String, webhookId: String) async throws
    /// The v3 settings: sets, rotates or (`url` nil) removes the dialog webhook `default`.
    func setDefaultWebhook(
        integrationId id: String, url: String?, token: String?, newRecord: @escaping @Sendable () -> WebhookRecord
    ) async throws -> StoredIntegration
    /// A session's webhook deliveries, oldest first.
    func deliveries(sessionId: String) async throws -> [WebhookDeliveryRecord]

    // MARK: Sessions and messages

    /// Stores a new session, its `accepted` event and the signer lint's observation, in one transaction; `describe` gets what
    /// the lint's memory held for `probe`, read in that transaction, and gives the event and the observation.
    func createSession(
        _ session: SessionRecord, lint probe: LintProbe?, describe: @escaping @Sendable (LintSeen) -> (event: EventRecord, lint: LintObservation?)
    ) async throws
    /// Stores a user message and its reply, resets the idle time, journals `events`, `deliveries` and the variables.
    func appendExchange(
        sessionId: String, now: Double, userText: String, replyText: String, ids: (user: String, assistant: String), events: [EventRecord],
        deliveries: [WebhookDeliveryRecord], variables: String?
    ) async throws -> (user: MessageRecord, assistant: MessageRecord, session: SessionRecord)
    /// Changes an open session's layers or locale in one transaction; `change` sees the stored row.
    func updateSession<T: Sendable>(
        _ id: String, _ change: @escaping @Sendable (inout SessionRecord) throws -> (events: [EventRecord], result: T)
    ) async throws -> T
    /// Ends a session at `now` and journals `event`; ending an ended session changes nothing.
    func endSession(_ id: String, now: Double, event: EventRecord) async throws
    /// One session, or nil.
    func session(id: String) async throws -> SessionRecord?
    /// Sessions newest first, filtered, one page.
    func sessions(integrationId: String?, externalId: String?, limit: Int, after cursor: PageCursor?) async throws -> Page<SessionRecord>
    /// A session's messages in order.
    func messages(sessionId: String) async throws -> [MessageRecord]
    /// Deletes a user's sessions, messages and the events naming their `sub`, within one integration.
    func deleteUser(integrationId: String, externalId: String) async throws -> (sessions: Int, messages: Int)
    /// Stores sessions with their messages and events in one transaction (benchmarks and fixtures), counted in usage.
    func importBatch(sessions: [SessionRecord], messages: [MessageRecord], events: [EventRecord]) async throws

    // MARK: Journal, usage, lint

    /// Journals one event.
    func appendEvent(_ event: EventRecord) async throws
    /// Events newest first, filtered, one page.
    func events(integrationId: String?, sessionId: String?, outcome: String?, limit: Int, after cursor: PageCursor?) async throws -> Page<EventRecord>
    /// An integration's usage in a month (`YYYY-MM`).
    func usage(integrationId: String, month: String) async throws -> (activeUsers: Int, sessions: Int, messages: Int)
    /// Whether an earlier, different token of the integration used this AES key, this IV, or was this very token.
    func lintSeen(_ probe: LintProbe) async throws -> LintSeen
    /// Remembers a token verified outside a session (`/verify`).
    func recordLint(_ observation: LintObservation) async throws
    /// An integration's lint counters, remembered lifetimes (ascending) and fingerprint count.
    func lintReport(integrationId: String) async throws -> (counters: [LintCounter], lifetimes: [Double], fingerprints: Int)

    // MARK: Upkeep and settings

    /// Deletes sessions idle since before `cutoff` (with their rows), then older events and lint memory, in short transactions.
    func sweep(before cutoff: Double) async throws -> (sessions: Int, messages: Int, events: Int)
    /// Wipes sessions, messages and events; with `all`, integrations too (the admin token stays).
    func reset(all: Bool) async throws
    /// The stored admin token, or nil before a first start stored one.
    func adminToken() async throws -> String?
    /// The stored admin token, storing `generate()` first when there is none.
    func adminToken(orStore generate: @Sendable () -> String) async throws -> (token: String, created: Bool)
    /// The account id of webhook calls, made once per database.
    func accountId() async throws -> String
    /// Closes the store's connections.
    func close() async throws

    /// Whether other processes may share this store (then settings such as the clock are read from it per request).
    var isShared: Bool { get }
    /// The stored clock setting (`fixed:SECONDS`, `offset:SECONDS`), or nil for the system clock.
    func clockSetting() async throws -> String?
    /// Stores the clock setting (nil: the system clock).
    func setClockSetting(_ value: String?) async throws
}

extension EmulatorStore {
    /// A session with a fixed event and lint observation (no question to the lint's memory).
    public func createSession(_ session: SessionRecord, event: EventRecord, lint: LintObservation? = nil) async throws {
        try await createSession(session, lint: nil) { _ in (event, lint) }
    }

    /// A message exchange without webhook deliveries or variables.
    public func appendExchange(
        sessionId: String, now: Double, userText: String, replyText: String, ids: (user: String, assistant: String), events: [EventRecord]
    ) async throws -> (user: MessageRecord, assistant: MessageRecord, session: SessionRecord) {
        try await appendExchange(sessionId: sessionId, now: now, userText: userText, replyText: replyText, ids: ids, events: events,
                                 deliveries: [], variables: nil)
    }
}

extension AppDatabase: EmulatorStore {}
