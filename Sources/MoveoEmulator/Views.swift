import Foundation
import MoveoAuth
import MoveoStore

/// The JSON shapes of CONTRACT §5: integration, session, message, event.
public enum Views {
    /// The integration object; no private key ever appears in it.
    public static func integration(_ stored: StoredIntegration, keys: KeyringCache.Entry, revealSecret: Bool = false) -> JSONValue {
        let record = stored.record
        let customerKeys: [JSONValue] = stored.customerKeys.map { key in
            .object([
                ("kid", .string(key.kid)), ("fingerprint_sha256", .string(key.fingerprintSHA256)), ("bits", .int(key.bits)),
                ("added_at", .time(key.addedAt)),
            ])
        }
        var platform = JSONValue.null
        if let current = stored.currentPlatformKey, let publicKey = keys.platformPublicKeys[current.kid] {
            platform = .object([
                ("kid", .string(current.kid)), ("fingerprint_sha256", .string(publicKey.fingerprintSHA256)), ("bits", .int(publicKey.bits)),
                ("public_key_pem", .string(publicKey.pkcs1PEM)), ("public_key_spki_pem", .string(publicKey.spkiPEM)),
                ("jwk", jwkForEncryption(publicKey)), ("created_at", .time(current.createdAt)),
            ])
        }
        return .object([
            ("integration_id", .string(record.id)), ("name", .string(record.name)), ("auth_required", .bool(record.authRequired)),
            ("session_timeout", .int(record.sessionTimeout)), ("created_at", .time(record.createdAt)),
            ("customer_keys", .array(customerKeys)), ("platform_key", platform),
            ("webhook", legacyWebhook(stored.defaultWebhook, revealSecret: revealSecret)), ("webhooks", .array(stored.webhooks.map { webhook($0) })),
        ])
    }

    /// The v3 view of the `default` dialog webhook: `{"url","secret_set"}`, plus `secret` only in the answer that set or rotated it.
    static func legacyWebhook(_ webhook: WebhookRecord?, revealSecret: Bool) -> JSONValue {
        guard let webhook else { return .null }
        var members: [(String, JSONValue)] = [("url", .string(webhook.url)), ("secret_set", .bool(true))]
        if revealSecret { members.append(("secret", .string(webhook.verificationToken))) }
        return .object(members)
    }

    /// A webhook (CONTRACT §10); `verification_token` only in the answer that created or rotated it.
    public static func webhook(_ webhook: WebhookRecord, revealToken: Bool = false) -> JSONValue {
        let headers = WebhookSettings.headers(json: webhook.customHeaders).map { ($0.0, JSONValue.string($0.1)) }
        var members: [(String, JSONValue)] = [
            ("webhook_id", .string(webhook.id)), ("name", .string(webhook.name)), ("type", .string(webhook.type)), ("url", .string(webhook.url)),
            ("custom_headers", .object(headers)), ("verification_token_set", .bool(true)), ("created_at", .time(webhook.createdAt)),
        ]
        if revealToken { members.append(("verification_token", .string(webhook.verificationToken))) }
        return .object(members)
    }

    /// A webhook delivery.
    public static func delivery(_ delivery: WebhookDeliveryRecord) -> JSONValue {
        .object([
            ("delivery_id", .string(delivery.id)), ("at", .time(delivery.at)), ("event", .string(delivery.event)), ("url", .string(delivery.url)),
            ("request_id", .string(delivery.requestId)), ("status", delivery.status.map(JSONValue.int) ?? .null),
            ("duration_ms", .number(String(format: "%.1f", delivery.durationMs))), ("signature_verified", .bool(delivery.signatureVerified)),
            ("outcome", .string(delivery.outcome)), ("error", .optional(delivery.error)), ("webhook_id", .optional(delivery.webhookId)),
            ("type", .string(delivery.type ?? "dialog")), ("ignored", parsed(delivery.ignored) ?? .array([])),
            ("responses", delivery.responses.flatMap(parsed) ?? .null),
        ])
    }

    private static func parsed(_ text: String) -> JSONValue? { try? JSONParser.parse(Array(text.utf8)) }

    /// The platform key as a JWK for encryption (`use: enc`, `alg: RSA-OAEP-256`).
    static func jwkForEncryption(_ key: RSAPublicKey) -> JSONValue {
        .object([
            ("kty", .string("RSA")), ("n", .string(Base64.urlEncode(key.modulus))), ("e", .string(Base64.urlEncode(key.exponent))),
            ("kid", .string(key.thumbprint)), ("use", .string("enc")), ("alg", .string("RSA-OAEP-256")),
        ])
    }

    /// The admin session object: the pinned (private) context, the public and variables layers, the effective context.
    public static func session(_ session: SessionRecord) -> JSONValue {
        .object([
            ("session_id", .string(session.id)), ("integration_id", .string(session.integrationId)), ("authenticated", .bool(session.authenticated)),
            ("external_id", .optional(session.externalId)), ("issuer", .optional(session.issuer)), ("context", session.privateLayer ?? .null),
            ("public_context", session.publicLayer ?? .object([])), ("variables", session.variablesLayer ?? .object([])),
            ("effective_context", session.effectiveContext), ("locale", .string(session.locale)),
            ("created_at", .time(session.createdAt)), ("last_seen_at", .time(session.lastSeenAt)), ("message_count", .int(session.messageCount)),
            ("ended_at", session.endedAt.map(JSONValue.time) ?? .null),
        ])
    }

    /// A message of a transcript.
    public static func message(_ message: MessageRecord) -> JSONValue {
        .object([
            ("message_id", .string(message.id)), ("role", .string(message.role)), ("text", .string(message.text)),
            ("created_at", .time(message.createdAt)),
        ])
    }

    /// A journal event.
    public static func event(_ event: EventRecord) -> JSONValue {
        .object([
            ("event_id", .string(event.id)), ("at", .time(event.at)), ("integration_id", .optional(event.integrationId)),
            ("session_id", .optional(event.sessionId)), ("action", .string(event.action)), ("outcome", .string(event.outcome)),
            ("code", .optional(event.code)), ("detail", .string(event.detail)), ("iss", .optional(event.iss)), ("sub", .optional(event.sub)),
        ])
    }

    /// A verification report as `/verify` answers it; `lintWarnings` (CONTRACT §15) follow the near-miss warnings.
    public static func verification(_ report: VerificationReport, lintWarnings: [String] = []) -> JSONValue {
        let checks: [JSONValue] = report.checks.map { check in
            .object([("name", .string(check.step.rawValue)), ("ok", check.ok.map(JSONValue.bool) ?? .null), ("detail", .string(check.detail))])
        }
        var members: [(String, JSONValue)]
        switch report.result {
        case .success(let verified):
            members = [("valid", .bool(true)), ("header", verified.header), ("claims", verified.claims), ("context", verified.context ?? .null)]
        case .failure(let error):
            members = [("valid", .bool(false)), ("error", Problem(error).json)]
            if let header = report.header { members.append(("header", header)) }
            if let claims = report.claims { members.append(("claims", claims)) }
        }
        members.append(("checks", .array(checks)))
        members.append(("warnings", .array((report.warnings + lintWarnings).map(JSONValue.string))))
        return .object(members)
    }
}
