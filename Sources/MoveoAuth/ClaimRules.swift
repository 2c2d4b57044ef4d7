/// CONTRACT §3 steps 5 and 6: the registered claims' presence and types, then `exp` and `nbf` against the clock.
public enum ClaimRules {
    /// The longest `iss` or `sub`, in UTF-8 bytes.
    public static let maxIdentifierBytes = 256

    /// The identity the claims carry.
    public struct Identity: Sendable, Equatable {
        /// `iss`.
        public var issuer: String
        /// `sub`.
        public var subject: String
        /// `exp`, seconds since 1970.
        public var expiresAt: Double
    }

    /// Checks presence (`iss`, `sub`, `exp`), then types (`iss`, `sub`, `exp`, `nbf`, `iat`).
    public static func identity(of payload: JSONValue) throws(AuthError) -> Identity {
        for name in ["iss", "sub", "exp"] where payload[name] == nil {
            throw AuthError(.claimMissing, "the payload has no \(name) claim", claim: name, hint: missingHint(name))
        }
        let issuer = try identifier(payload, "iss")
        let subject = try identifier(payload, "sub")
        let expiresAt = try numericDate(payload, "exp")!
        _ = try numericDate(payload, "nbf")
        _ = try numericDate(payload, "iat")
        return Identity(issuer: issuer, subject: subject, expiresAt: expiresAt)
    }

    /// Checks `exp` > now − leeway, `exp` ≤ now + max lifetime, and `nbf` ≤ now + leeway, in that order.
    public static func checkLifetime(of payload: JSONValue, expiresAt exp: Double, policy: VerificationPolicy) throws(AuthError) {
        if exp <= policy.now - policy.leeway {
            let ago = policy.now - exp
            throw AuthError(.tokenExpired, "the token expired \(TokenVerifier.Run.seconds(ago.rounded(.down))) ago", claim: "exp",
                            hint: exp < 1_000_000_000
                                ? "exp is a point in time (seconds since 1970), not a duration: exp = now + ttl"
                                : "tokens live seconds: mint one right before each call, or check the clocks (--leeway allows skew)")
        }
        if exp > policy.now + policy.maxLifetime {
            let hint: String
            if exp > 100_000_000_000, abs(exp / 1000 - policy.now) < 86_400 * 365 {
                hint = "exp looks like milliseconds: NumericDate is seconds (Math.floor(Date.now() / 1000) + 10)"
            } else {
                hint = "tokens may live at most \(TokenVerifier.Run.seconds(policy.maxLifetime)): set exp a few seconds ahead (expiresIn: '10s')"
            }
            throw AuthError(.expTooFar, "exp is \(TokenVerifier.Run.seconds((exp - policy.now).rounded(.down))) ahead; at most \(TokenVerifier.Run.seconds(policy.maxLifetime)) is allowed",
                            claim: "exp", hint: hint)
        }
        if let nbf = payload["nbf"]?.doubleValue, nbf > policy.now + policy.leeway {
            throw AuthError(.tokenNotYetValid, "nbf is \(TokenVerifier.Run.seconds((nbf - policy.now).rounded(.up))) in the future", claim: "nbf",
                            hint: "check the clocks of your backend and the emulator (GET /v1/admin/clock); --leeway allows skew")
        }
    }

    private static func missingHint(_ name: String) -> String {
        switch name {
        case "exp": "set an expiry a few seconds ahead (jsonwebtoken: expiresIn: '10s')"
        case "sub": "sub identifies the user: it becomes the session's external_id"
        default: "iss names your backend; every identity token carries it"
        }
    }

    private static func identifier(_ payload: JSONValue, _ name: String) throws(AuthError) -> String {
        guard let value = payload[name]?.stringValue, !value.isEmpty else {
            let kind = payload[name].map { $0.stringValue == "" ? "an empty string" : "a \($0.typeName)" } ?? "absent"
            throw AuthError(.claimInvalid, "\(name) is \(kind); it must be a non-empty string", claim: name,
                            hint: name == "sub" && payload[name]?.typeName == "number" ? "send the user id as a string: String(userId)" : nil)
        }
        guard !value.utf8.contains(0) else {
            throw AuthError(.claimInvalid, "\(name) contains a NUL character", claim: name,
                            hint: "identifiers are text: remove the NUL (C-based stores would truncate the value there)")
        }
        guard value.utf8.count <= maxIdentifierBytes else {
            throw AuthError(.claimInvalid, "\(name) is \(value.utf8.count) bytes; at most \(maxIdentifierBytes) are allowed", claim: name)
        }
        return value
    }

    private static func numericDate(_ payload: JSONValue, _ name: String) throws(AuthError) -> Double? {
        guard let value = payload[name] else { return nil }
        guard case .number = value else {
            throw AuthError(.claimInvalid, "\(name) is a \(value.typeName); it must be a NumericDate (seconds since 1970)", claim: name,
                            hint: value.stringValue != nil ? "send \(name) as a number, not a string" : nil)
        }
        guard let seconds = value.doubleValue else {
            throw AuthError(.claimInvalid, "\(name) is not a finite number", claim: name)
        }
        return seconds
    }
}
