/// The named steps of CONTRACT §3 as `/verify` and `token inspect` report them.
public enum VerificationStep: String, Sendable, CaseIterable {
    /// Steps 1–2: presence, size, three base64url parts, header a JSON object.
    case format
    /// Step 3: `alg` exactly RS256, no `crit`.
    case alg
    /// Step 4: RS256 under the integration's customer key(s).
    case signature
    /// Step 5: payload a JSON object with `iss`, `sub`, `exp` of the right types.
    case claims
    /// Step 6: `exp` and `nbf` against the clock.
    case lifetime
    /// Step 7: the encrypted context, when present.
    case context
}

/// One step's outcome: passed, failed, or not reached (`ok == nil`).
public struct VerificationCheck: Sendable, Equatable {
    /// The step.
    public var step: VerificationStep
    /// True when passed, false when failed, nil when not reached.
    public var ok: Bool?
    /// What was found, in words; never a secret.
    public var detail: String
}

/// A verified token: what the session pins.
public struct VerifiedToken: Sendable {
    /// The protected header.
    public var header: JSONValue
    /// The payload as signed (the context claims stay ciphertext here).
    public var claims: JSONValue
    /// `iss`.
    public var issuer: String
    /// `sub`: the session's `external_id`.
    public var subject: String
    /// `exp`, seconds since 1970.
    public var expiresAt: Double
    /// The thumbprint of the customer key that verified the signature.
    public var keyID: String
    /// The decrypted context object, when the token carried one.
    public var context: JSONValue?
    /// The AES variant that decrypted the context (`AES-256-CBC`), when there was one.
    public var contextCipher: String?
    /// Near misses accepted under `--compat`, in the words of the hint they would have had.
    public var warnings: [String]
    /// Lowercase hex SHA-256 of the unwrapped AES key and IV, when there was a context (fingerprints, never the secrets).
    public var contextKeyDigest: String?
    /// Lowercase hex SHA-256 of the unwrapped IV.
    public var contextIVDigest: String?

    /// The context as compact JSON text, the form sessions pin and compare.
    public var contextJSON: String? { context.map(JSONWriter.string) }
}

/// Everything one verification found, step by step, ending in a verified token or the first refusal.
public struct VerificationReport: Sendable {
    /// The six steps in order.
    public var checks: [VerificationCheck]
    /// The header, once it was read.
    public var header: JSONValue?
    /// The payload, once the signature held.
    public var claims: JSONValue?
    /// The outcome.
    public var result: Result<VerifiedToken, AuthError>
    /// Near misses diagnosed so far (accepted under `--compat`).
    public var warnings: [String]

    /// The verified token, or the refusal thrown.
    public func verified() throws(AuthError) -> VerifiedToken {
        try result.get()
    }

    /// The refusal, when there was one.
    public var error: AuthError? {
        if case .failure(let error) = result { return error }
        return nil
    }
}
