import MoveoAuth
import MoveoStore

// MARK: - The signer lint (CONTRACT §15): warnings on accepted tokens, the per-integration report

extension EmulatorService {
    /// The lint of an accepted token: the warnings to show (key/IV reuse, the sample key, a replay) and what to remember.
    func lint(_ verified: VerifiedToken, text: String, integrationId: String, forSession: Bool) async throws -> (warnings: [String], observation: LintObservation) {
        let seen = try await database.lintSeen(lintProbe(verified, text: text, integrationId: integrationId))
        return lint(verified, text: text, integrationId: integrationId, forSession: forSession, seen: seen, now: clock.now())
    }

    /// What to ask the lint's memory about a token.
    func lintProbe(_ verified: VerifiedToken, text: String, integrationId: String) -> LintProbe {
        LintProbe(integrationId: integrationId, keyHash: verified.contextKeyDigest, ivHash: verified.contextIVDigest,
                  tokenHash: Digest.hex(Digest.sha256(Array(text.utf8))))
    }

    /// The lint of an accepted token given what the memory held (`seen`): pure, so it can run inside the store's transaction.
    func lint(_ verified: VerifiedToken, text: String, integrationId: String, forSession: Bool, seen: LintSeen, now: Double)
        -> (warnings: [String], observation: LintObservation) {
        let warnings = SignerLint.findings(of: verified, memory: SignerLint.Memory(keyUsed: seen.key, ivUsed: seen.iv, tokenUsed: seen.token),
                                           now: now, forSession: forSession)
        let all = warnings + SignerLint.reportFindings(of: verified, now: now)
        return (warnings.map(\.text), SignerLint.observation(of: verified, text: text, integrationId: integrationId, now: now,
                                                              forSession: forSession, findings: all))
    }

    /// `/verify`'s answer: every check, and for an accepted token the lint warnings too (the token is remembered for the lint,
    /// not journaled: no event, no session).
    public func verifyForAdmin(_ token: String?, integration: StoredIntegration) async throws -> JSONValue {
        let report = try verify(token, for: integration)
        guard case .success(let verified) = report.result, let token else { return Views.verification(report) }
        let (warnings, observation) = try await lint(verified, text: token, integrationId: integration.record.id, forSession: false)
        try await database.recordLint(observation)
        return Views.verification(report, lintWarnings: warnings)
    }

    /// `GET /v1/admin/integrations/{id}/lint`: findings first, then lifetimes and the header values seen.
    public func lintReport(integrationId: String) async throws -> JSONValue {
        let (counters, lifetimes, _) = try await database.lintReport(integrationId: integrationId)
        let order = ["sample_key_used", "aes_key_reused", "aes_iv_reused", "token_replayed", "lifetime_over_60s", "iat_missing", "compat_near_miss"]
        let findings: [JSONValue] = order.compactMap { code in
            counters.first { $0.name == code }.map { counter in
                .object([("code", .string(code)), ("count", .int(counter.count)), ("first_at", .time(counter.firstAt)),
                         ("last_at", .time(counter.lastAt)), ("detail", .string(counter.detail))])
            }
        }
        func values(_ prefix: String) -> JSONValue {
            .object(counters.filter { $0.name.hasPrefix(prefix) }.map { (String($0.name.dropFirst(prefix.count)), JSONValue.int($0.count)) })
        }
        let p50: JSONValue = lifetimes.isEmpty ? .null : .number(Self.seconds(lifetimes[(lifetimes.count - 1) / 2]))
        let max: JSONValue = lifetimes.last.map { .number(Self.seconds($0)) } ?? .null
        return .object([
            ("integration_id", .string(integrationId)), ("tokens_seen", .int(counters.first { $0.name == "tokens_seen" }?.count ?? 0)),
            ("findings", .array(findings)), ("lifetimes", .object([("p50", p50), ("max", max)])),
            ("headers", .object([("alg", values("alg:")), ("typ", values("typ:")),
                                 ("kid_present", .int(counters.first { $0.name == "kid_present" }?.count ?? 0))])),
        ])
    }

    /// A number of seconds as JSON text, to a tenth.
    static func seconds(_ value: Double) -> String {
        let tenths = (value * 10).rounded() / 10
        return tenths == tenths.rounded() ? String(Int(tenths)) : String(tenths)
    }
}
