import MoveoAuth
import MoveoStore

/// The signer lint's rules (CONTRACT §15): what an accepted token says about the backend that made it. Pure: the caller
/// says what was seen before; nothing here stores anything, and nothing here sees a key, an IV or a token in clear.
public enum SignerLint {
    /// The documentation's sample AES key, `(H+MbQeThWmZq4t7w!z%C&F)J@NcRfUj`, known by its SHA-256 only.
    public static let sampleKeyDigest = Digest.hex(Digest.sha256(Array("(H+MbQeThWmZq4t7w!z%C&F)J@NcRfUj".utf8)))
    /// The documentation's sample IV, `*F-JaNdRgUkXp2s5`, known by its SHA-256 only.
    public static let sampleIVDigest = Digest.hex(Digest.sha256(Array("*F-JaNdRgUkXp2s5".utf8)))

    /// How long a token may live before `lifetime_over_60s` (the documented samples use 4 to 10 s).
    public static let lifetimeCeiling: Double = 60

    /// The fix every key or IV finding names.
    static let freshKeyHint = "generate a fresh random AES key and IV for every token: crypto.randomBytes(32) and crypto.randomBytes(16) "
        + "(Node), os.urandom(32) and os.urandom(16) (Python), SecureRandom.nextBytes (Java)"

    /// One finding: its code and a sentence that begins with the code.
    public struct Finding: Sendable, Equatable {
        /// `aes_key_reused`, `aes_iv_reused`, `sample_key_used`, `token_replayed`, `lifetime_over_60s`, `iat_missing`, `compat_near_miss`.
        public var code: String
        /// `code: what happened — hint`.
        public var text: String
    }

    /// What was seen before this token.
    public struct Memory: Sendable, Equatable {
        /// An earlier token used the same AES key.
        public var keyUsed = false
        /// An earlier token used the same IV.
        public var ivUsed = false
        /// The same whole token created a session before.
        public var tokenUsed = false

        /// Creates a memory.
        public init(keyUsed: Bool = false, ivUsed: Bool = false, tokenUsed: Bool = false) {
            self.keyUsed = keyUsed
            self.ivUsed = ivUsed
            self.tokenUsed = tokenUsed
        }
    }

    /// Seconds from `iat` (or, without one, from `now`) to `exp`.
    public static func lifetime(of token: VerifiedToken, now: Double) -> Double {
        token.expiresAt - (token.claims["iat"]?.doubleValue ?? now)
    }

    /// The findings of an accepted token; `forSession` says whether it is creating a session (only then can it be a replay).
    public static func findings(of token: VerifiedToken, memory: Memory, now: Double, forSession: Bool) -> [Finding] {
        var findings: [Finding] = []
        func add(_ code: String, _ text: String) { findings.append(Finding(code: code, text: "\(code): \(text)")) }
        if token.contextKeyDigest == sampleKeyDigest || token.contextIVDigest == sampleIVDigest {
            let which = token.contextKeyDigest == sampleKeyDigest ? (token.contextIVDigest == sampleIVDigest ? "AES key and IV are" : "AES key is")
                : "IV is"
            add("sample_key_used", "the context's \(which) the documentation's sample, hard-coded in its Node example — \(freshKeyHint)")
        }
        if memory.keyUsed { add("aes_key_reused", "an earlier token used the same AES key; every user's context is then under one key — \(freshKeyHint)") }
        if memory.ivUsed { add("aes_iv_reused", "an earlier token used the same IV; a reused IV with CBC leaks equal prefixes — \(freshKeyHint)") }
        if forSession, memory.tokenUsed {
            add("token_replayed", "this exact token already created a session; a token should be minted for each page load and live seconds — "
                + "sign a new token per request (jwt.sign with a fresh iat/exp)")
        }
        return findings
    }

    /// The findings kept only in the report (not warnings): a long lifetime, no `iat`, a near miss accepted under `--compat`.
    public static func reportFindings(of token: VerifiedToken, now: Double) -> [Finding] {
        var findings: [Finding] = []
        let lifetime = lifetime(of: token, now: now)
        if lifetime > lifetimeCeiling {
            findings.append(Finding(code: "lifetime_over_60s", text: "lifetime_over_60s: exp is \(Int(lifetime.rounded())) s after "
                + (token.claims["iat"] == nil ? "arrival" : "iat") + " — tokens should live seconds (the documentation uses expiresIn: '10000ms')"))
        }
        if token.claims["iat"] == nil {
            findings.append(Finding(code: "iat_missing", text: "iat_missing: the token has no iat claim — jsonwebtoken adds it unless noTimestamp is set"))
        }
        if !token.warnings.isEmpty {
            findings.append(Finding(code: "compat_near_miss", text: "compat_near_miss: accepted only under --compat: " + token.warnings.joined(separator: "; ")))
        }
        return findings
    }

    /// What the store keeps of the token: fingerprints, its lifetime, and one count per finding and header value.
    public static func observation(of token: VerifiedToken, text: String, integrationId: String, now: Double, forSession: Bool,
                                   findings: [Finding]) -> LintObservation {
        var counters: [(name: String, detail: String)] = [("tokens_seen", "")]
        counters += findings.map { ($0.code, $0.text) }
        counters.append(("alg:" + (token.header["alg"]?.stringValue ?? "?"), ""))
        if let typ = token.header["typ"]?.stringValue { counters.append(("typ:" + String(typ.prefix(64)), "")) } else { counters.append(("typ:(none)", "")) }
        if token.header["kid"] != nil { counters.append(("kid_present", "")) }
        return LintObservation(integrationId: integrationId, at: now, tokenHash: Digest.hex(Digest.sha256(Array(text.utf8))),
                               keyHash: token.contextKeyDigest, ivHash: token.contextIVDigest, forSession: forSession,
                               lifetime: lifetime(of: token, now: now), counters: counters)
    }
}
