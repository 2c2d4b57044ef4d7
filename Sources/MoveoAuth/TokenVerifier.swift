/// The CONTRACT §3 pipeline: format, alg, signature, claims, lifetime, context — the first failure is the answer.
public struct TokenVerifier: Sendable {
    /// The integration's keys.
    public var keyring: IntegrationKeyring
    /// The clock and rules.
    public var policy: VerificationPolicy

    /// Creates a verifier for one integration at one moment.
    public init(keyring: IntegrationKeyring, policy: VerificationPolicy) {
        self.keyring = keyring
        self.policy = policy
    }

    /// Verifies `token` (nil or empty counts as absent) and reports every step.
    public func verify(_ token: String?) -> VerificationReport {
        var run = Run()
        do {
            let verified = try run.execute(token: token, keyring: keyring, policy: policy)
            return VerificationReport(checks: run.checks, header: run.header, claims: run.claims, result: .success(verified), warnings: run.warnings)
        } catch {
            run.fail(error)
            return VerificationReport(checks: run.checks, header: run.header, claims: run.claims, result: .failure(error), warnings: run.warnings)
        }
    }

    /// The state of one verification as it moves through the steps.
    struct Run {
        var checks: [VerificationCheck] = VerificationStep.allCases.map { VerificationCheck(step: $0, ok: nil, detail: "not reached") }
        var current: VerificationStep = .format
        var header: JSONValue?
        var claims: JSONValue?
        var warnings: [String] = []

        mutating func pass(_ detail: String) {
            checks[index(of: current)] = VerificationCheck(step: current, ok: true, detail: detail)
            if let next = VerificationStep.allCases.firstIndex(of: current).map({ $0 + 1 }), next < VerificationStep.allCases.count {
                current = VerificationStep.allCases[next]
            }
        }

        mutating func fail(_ error: AuthError) {
            var detail = "\(error.code.rawValue): \(error.detail)"
            if let hint = error.hint { detail += " — \(hint)" }
            checks[index(of: current)] = VerificationCheck(step: current, ok: false, detail: detail)
        }

        private func index(of step: VerificationStep) -> Int {
            VerificationStep.allCases.firstIndex(of: step)!
        }

        mutating func execute(token: String?, keyring: IntegrationKeyring, policy: VerificationPolicy) throws(AuthError) -> VerifiedToken {
            guard let token, !token.isEmpty else {
                throw AuthError(.tokenMissing, "no identity token was sent",
                                hint: "send it as identity_token in the JSON body or as Authorization: Bearer <token>")
            }
            let jws = try CompactJWS(parsing: token)
            header = jws.header
            pass("compact JWS of \(token.utf8.count) characters; header is a JSON object")

            try Self.checkAlgorithm(jws.header)
            pass("alg is RS256")

            let kid = try Self.checkSignature(jws, keyring: keyring)
            pass("RS256 signature verified with customer key \(kid)")

            let payload = try jws.payloadObject()
            claims = payload
            let identity = try ClaimRules.identity(of: payload)
            pass("iss \"\(JSONWriter.truncated(identity.issuer))\", sub \"\(JSONWriter.truncated(identity.subject))\"")

            try ClaimRules.checkLifetime(of: payload, expiresAt: identity.expiresAt, policy: policy)
            pass("exp is \(Self.seconds(identity.expiresAt - policy.now)) from now (ceiling \(Self.seconds(policy.maxLifetime)))")

            let decryptor = ContextDecryptor(platformKeys: keyring.platformKeys, compat: policy.compat)
            let context = try decryptor.decrypt(claimsOf: payload, warnings: &warnings)
            if let context {
                pass("\(context.cipher) context of \(context.plaintextLength) bytes decrypted to a JSON object")
            } else {
                pass("no context")
            }
            return VerifiedToken(
                header: jws.header, claims: payload, issuer: identity.issuer, subject: identity.subject,
                expiresAt: identity.expiresAt, keyID: kid, context: context?.value, contextCipher: context?.cipher, warnings: warnings,
                contextKeyDigest: context?.keyDigest, contextIVDigest: context?.ivDigest
            )
        }

        static func seconds(_ value: Double) -> String {
            guard abs(value) < 1e15 else { return "\(value) s" }
            if value == value.rounded() { return "\(Int(value)) s" }
            let tenths = (value * 10).rounded() / 10
            return "\(tenths) s"
        }
    }
}
