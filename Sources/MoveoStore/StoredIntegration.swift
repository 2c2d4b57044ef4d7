/// An integration with its keys and webhooks, as one consistent read.
public struct StoredIntegration: Sendable, Equatable {
    /// The integration's row.
    public var record: IntegrationRecord
    /// Customer keys, oldest first.
    public var customerKeys: [CustomerKeyRecord]
    /// Platform keys, the current first.
    public var platformKeys: [PlatformKeyRecord]
    /// Webhooks, in creation order.
    public var webhooks: [WebhookRecord]

    /// Creates a bundle.
    public init(record: IntegrationRecord, customerKeys: [CustomerKeyRecord], platformKeys: [PlatformKeyRecord], webhooks: [WebhookRecord] = []) {
        self.record = record
        self.customerKeys = customerKeys
        self.platformKeys = platformKeys
        self.webhooks = webhooks
    }

    /// The v3 webhook: the dialog webhook named `default`.
    public var defaultWebhook: WebhookRecord? { webhooks.first { $0.name == "default" && $0.type == "dialog" } }

    /// The platform key customers encrypt to now.
    public var currentPlatformKey: PlatformKeyRecord? { platformKeys.first { $0.isCurrent } }
}
