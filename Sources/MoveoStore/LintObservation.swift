/// What the signer lint keeps of one accepted token (CONTRACT §15): fingerprints and counts, never a key, IV or token.
public struct LintObservation: Sendable {
    /// The integration whose token it was.
    public var integrationId: String
    /// When it was seen, seconds since 1970.
    public var at: Double
    /// Lowercase hex SHA-256 of the whole token.
    public var tokenHash: String
    /// Lowercase hex SHA-256 of the unwrapped AES key and IV, when the token carried a context.
    public var keyHash: String?
    /// Lowercase hex SHA-256 of the unwrapped IV.
    public var ivHash: String?
    /// Whether the token created a session (a replay is a token that created one before).
    public var forSession: Bool
    /// Seconds from `iat` (or arrival) to `exp`.
    public var lifetime: Double
    /// Counters to add one to, with the detail a finding keeps (`aes_iv_reused`, `alg:RS256`, `kid_present`, `tokens_seen`…).
    public var counters: [(name: String, detail: String)]

    /// Creates an observation.
    public init(integrationId: String, at: Double, tokenHash: String, keyHash: String?, ivHash: String?, forSession: Bool, lifetime: Double,
                counters: [(name: String, detail: String)]) {
        self.integrationId = integrationId
        self.at = at
        self.tokenHash = tokenHash
        self.keyHash = keyHash
        self.ivHash = ivHash
        self.forSession = forSession
        self.lifetime = lifetime
        self.counters = counters
    }
}

/// One counter of the lint report.
public struct LintCounter: Sendable, Equatable {
    /// `aes_key_reused`, `alg:RS256`, `tokens_seen`…
    public var name: String
    /// How many tokens added to it.
    public var count: Int
    /// The first and last time, seconds since 1970.
    public var firstAt: Double
    /// The last time.
    public var lastAt: Double
    /// What the last one said.
    public var detail: String

    /// A counter.
    public init(name: String, count: Int, firstAt: Double, lastAt: Double, detail: String) {
        self.name = name
        self.count = count
        self.firstAt = firstAt
        self.lastAt = lastAt
        self.detail = detail
    }
}

/// What a token's lint needs to ask the memory: its integration, the digests of its AES key and IV, and of its whole text.
public struct LintProbe: Sendable {
    /// The integration the token is for.
    public var integrationId: String
    /// SHA-256 of the unwrapped AES key, when the token carried a context.
    public var keyHash: String?
    /// SHA-256 of the unwrapped IV, when the token carried a context.
    public var ivHash: String?
    /// SHA-256 of the token's text.
    public var tokenHash: String

    /// A probe.
    public init(integrationId: String, keyHash: String?, ivHash: String?, tokenHash: String) {
        self.integrationId = integrationId
        self.keyHash = keyHash
        self.ivHash = ivHash
        self.tokenHash = tokenHash
    }
}

/// What the lint's memory held before a token: its AES key or IV used by another token, or this very token seen at a session.
public typealias LintSeen = (key: Bool, iv: Bool, token: Bool)
