/// An integration with its keys, as one consistent read.
public struct StoredIntegration: Sendable, Equatable {
    /// The integration's row.
    public var record: IntegrationRecord
    /// Customer keys, oldest first.
    public var customerKeys: [CustomerKeyRecord]
    /// Platform keys, the current first.
    public var platformKeys: [PlatformKeyRecord]

    /// Creates a bundle.
    public init(record: IntegrationRecord, customerKeys: [CustomerKeyRecord], platformKeys: [PlatformKeyRecord]) {
        self.record = record
        self.customerKeys = customerKeys
        self.platformKeys = platformKeys
    }

    /// The platform key customers encrypt to now.
    public var currentPlatformKey: PlatformKeyRecord? { platformKeys.first { $0.isCurrent } }
}
