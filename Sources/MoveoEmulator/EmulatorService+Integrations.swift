import MoveoAuth
import MoveoStore

// MARK: - Integrations and their keys (CONTRACT §5)

extension EmulatorService {
    /// What a new integration is made from.
    public struct NewIntegration: Sendable {
        /// Display name.
        public var name: String
        /// Fixed id, or nil for a generated one.
        public var id: String?
        /// The customer public key (PEM or JWK), if any.
        public var publicKey: JSONValue?
        /// Defaults to true when a key is given.
        public var authRequired: Bool?
        /// Idle seconds; default 3600.
        public var sessionTimeout: Int?
        /// 2048 (default), 3072 or 4096.
        public var platformKeyBits: Int?
        /// The webhook's URL, if any.
        public var webhookURL: String?
        /// The webhook's secret; generated when a URL comes without one.
        public var webhookSecret: String?

        /// Creates a description.
        public init(name: String, id: String? = nil, publicKey: JSONValue? = nil, authRequired: Bool? = nil, sessionTimeout: Int? = nil,
                    platformKeyBits: Int? = nil, webhookURL: String? = nil, webhookSecret: String? = nil) {
            self.webhookURL = webhookURL
            self.webhookSecret = webhookSecret
            self.name = name
            self.id = id
            self.publicKey = publicKey
            self.authRequired = authRequired
            self.sessionTimeout = sessionTimeout
            self.platformKeyBits = platformKeyBits
        }
    }

    /// The default idle timeout of a session, seconds.
    public static let defaultSessionTimeout = 3600

    /// Whether `id` is `[A-Za-z0-9_-]{1,64}`.
    public static func isValidIntegrationId(_ id: String) -> Bool {
        (1...64).contains(id.utf8.count) && id.utf8.allSatisfy { byte in
            (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || byte == 0x2D || byte == 0x5F
        }
    }

    /// Creates an integration with a fresh platform keypair; refuses a taken id before doing any work.
    public func createIntegration(_ new: NewIntegration) async throws -> StoredIntegration {
        let id = new.id ?? RandomID.integration()
        if try await database.integration(id: id) != nil { throw StoreError.integrationExists(id) }
        let now = clock.now()
        let customerKeys = try new.publicKey.map { [try customerKeyRecord(try RSAPublicKey(importing: $0), integrationId: id, now: now)] } ?? []
        let platform = try platformKeyRecord(try RSAPrivateKey(generatingBits: new.platformKeyBits ?? 2048), integrationId: id, now: now)
        let record = IntegrationRecord(id: id, name: new.name, authRequired: new.authRequired ?? (new.publicKey != nil),
                                       sessionTimeout: new.sessionTimeout ?? Self.defaultSessionTimeout, createdAt: now)
        let webhooks = new.webhookURL.map { url in
            [defaultWebhook(integrationId: id, url: url, token: new.webhookSecret ?? Self.newWebhookSecret(), now: now)]
        } ?? []
        return try await database.createIntegration(StoredIntegration(record: record, customerKeys: customerKeys, platformKeys: [platform],
                                                                      webhooks: webhooks))
    }

    /// Replaces every customer key (`replace`) or adds one.
    public func setCustomerKey(_ key: JSONValue, integrationId: String, replace: Bool) async throws -> StoredIntegration {
        let record = try customerKeyRecord(try RSAPublicKey(importing: key), integrationId: integrationId, now: clock.now())
        return try await database.setCustomerKeys(integrationId: integrationId, keys: [record], replace: replace)
    }

    /// Generates a new platform keypair; the previous one keeps decrypting until the next rotation.
    public func rotatePlatformKey(integrationId: String) async throws -> StoredIntegration {
        let current = try await integration(integrationId)
        let bits = current.currentPlatformKey?.bits ?? 2048
        let record = try platformKeyRecord(try RSAPrivateKey(generatingBits: bits), integrationId: integrationId, now: clock.now())
        return try await database.rotatePlatformKey(integrationId: integrationId, newKey: record)
    }

    /// The v3 webhook (`webhook_url`/`webhook_secret`): the dialog webhook named `default`.
    func defaultWebhook(integrationId: String, url: String, token: String, now: Double) -> WebhookRecord {
        WebhookRecord(id: RandomID.webhook(), integrationId: integrationId, name: "default", type: "dialog", url: url, verificationToken: token,
                      createdAt: now)
    }

    /// Sets (or, with a nil URL, removes) the v3 webhook; a new one without a secret gets a generated one.
    public func setDefaultWebhook(integrationId: String, url: String?, secret: String?) async throws -> StoredIntegration {
        let now = clock.now()
        let generated = Self.newWebhookSecret()
        return try await database.setDefaultWebhook(integrationId: integrationId, url: url, token: secret) {
            self.defaultWebhook(integrationId: integrationId, url: url ?? "", token: secret ?? generated, now: now)
        }
    }

    /// The integration as the API shows it; `revealSecret` adds the webhook secret (only where it was just set).
    public func render(_ integration: StoredIntegration, revealSecret: Bool = false) throws -> JSONValue {
        Views.integration(integration, keys: try keys.keys(for: integration), revealSecret: revealSecret)
    }

    /// A customer key row for `key`.
    func customerKeyRecord(_ key: RSAPublicKey, integrationId: String, now: Double) throws -> CustomerKeyRecord {
        CustomerKeyRecord(integrationId: integrationId, kid: key.thumbprint, publicKeyPEM: key.spkiPEM, fingerprintSHA256: key.fingerprintSHA256,
                          bits: key.bits, addedAt: now)
    }

    /// A current platform key row for `key`.
    func platformKeyRecord(_ key: RSAPrivateKey, integrationId: String, now: Double) throws -> PlatformKeyRecord {
        PlatformKeyRecord(integrationId: integrationId, kid: key.publicKey.thumbprint, privateKeyPEM: key.pkcs8PEM, bits: key.bits,
                          isCurrent: true, createdAt: now)
    }
}
