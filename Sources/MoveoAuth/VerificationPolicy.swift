/// The time and rules a token is judged by (CONTRACT §1 options, §3 step 6 and 8).
public struct VerificationPolicy: Sendable {
    /// The emulator's clock, seconds since 1970 (never a hidden `Date()`).
    public var now: Double
    /// Clock-skew allowance for an `exp` just past and an `nbf` just ahead, seconds.
    public var leeway: Double
    /// How far ahead `exp` may be, seconds (the ceiling is never widened by `leeway`).
    public var maxLifetime: Double
    /// Accept the §3.8 near misses (they are diagnosed either way).
    public var compat: Bool

    /// The default maximum lifetime: 300 s.
    public static let defaultMaxLifetime: Double = 300

    /// Creates a policy.
    public init(now: Double, leeway: Double = 0, maxLifetime: Double = defaultMaxLifetime, compat: Bool = false) {
        self.now = now
        self.leeway = leeway
        self.maxLifetime = maxLifetime
        self.compat = compat
    }
}
