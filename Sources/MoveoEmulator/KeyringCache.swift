import MoveoAuth
import MoveoStore
import NIOConcurrencyHelpers

/// Parsed keys per integration, so no request parses PEM; an entry is rebuilt when the integration's key ids change.
public final class KeyringCache: Sendable {
    /// One integration's parsed keys.
    public struct Entry: Sendable {
        /// The kids the entry was built from (customer, then platform): a changed list means changed keys.
        let signature: [String]
        /// The keyring for verification.
        public let keyring: IntegrationKeyring
        /// The current platform key's public half, by kid.
        public let platformPublicKeys: [String: RSAPublicKey]
    }

    private let entries = NIOLockedValueBox<[String: Entry]>([:])

    /// An empty cache.
    public init() {}

    /// The parsed keys of `integration`, from the cache when its key ids are unchanged.
    public func keys(for integration: StoredIntegration) throws -> Entry {
        let signature = integration.customerKeys.map(\.kid) + ["|"] + integration.platformKeys.map { $0.kid + ($0.isCurrent ? "*" : "") }
        if let entry = entries.withLockedValue({ $0[integration.record.id] }), entry.signature == signature {
            return entry
        }
        let customer = try integration.customerKeys.map { IntegrationKeyring.CustomerKey(try RSAPublicKey(importing: $0.publicKeyPEM)) }
        let platform = try integration.platformKeys.map { try RSAPrivateKey(pem: $0.privateKeyPEM) }
        var publics: [String: RSAPublicKey] = [:]
        for (record, key) in zip(integration.platformKeys, platform) { publics[record.kid] = key.publicKey }
        let entry = Entry(signature: signature, keyring: IntegrationKeyring(customerKeys: customer, platformKeys: platform), platformPublicKeys: publics)
        entries.withLockedValue { $0[integration.record.id] = entry }
        return entry
    }

    /// Forgets every entry (after a reset).
    public func removeAll() {
        entries.withLockedValue { $0.removeAll() }
    }
}
