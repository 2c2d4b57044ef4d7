/// Everything `serve` can be told (CONTRACT §1), filled by the CLI or by tests.
public struct EmulatorConfiguration: Sendable {
    /// Bind address.
    public var host = "127.0.0.1"
    /// Port; 0 picks a free one.
    public var port = 8080
    /// SQLite file, `:memory:`, or a `postgres://` URL shared by several instances.
    public var databasePath = "Database/emulator.sqlite"
    /// With a PostgreSQL `databasePath`: the most connections this instance's pool opens.
    public var databaseConnections = 10
    /// With PostgreSQL: seconds a request waits for a pooled connection before it is answered 503 `store_unavailable`.
    public var databaseLeaseTimeout: Double = 5
    /// The admin bearer token; nil means the stored one, generated on the first start.
    public var adminToken: String?
    /// A seed fixture to apply at start.
    public var seedFile: String?
    /// The exp ceiling, seconds ahead of now.
    public var maxTokenLifetime: Double = 300
    /// Clock-skew allowance, seconds.
    public var leeway: Double = 0
    /// Accept the §3.8 near misses.
    public var compat = false
    /// Refuse a changed context on a pinned session (409) instead of ignoring it.
    public var strictPinning = false
    /// Start with a fixed clock at this time (seconds since 1970).
    public var fixedNow: Double?
    /// Create the `demo` integration on an empty database.
    public var createDemo = true
    /// How long a webhook delivery may take, seconds.
    public var webhookTimeout: Double = 5
    /// `--idle-timeout`: seconds after which a connection that has not completed a request (idle keep-alive, or headers
    /// trickling in) is closed.
    public var idleTimeout: Double = 60
    /// `--retain`: seconds after which idle sessions and old events are swept; nil keeps everything.
    public var retain: Double?
    /// The `X-Moveo-Account-Slug` of webhook calls.
    public var accountSlug = "emulator"

    /// The defaults of CONTRACT §1.
    public init() {}
}
