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
            ("customer_keys", .array(customerKeys)), ("platform_key", platform), ("webhook", webhook(record, revealSecret: revealSecret)),
        ])
    }

    /// `{"url","secret_set"}`, plus `secret` only in the answer that set or rotated it; null without a webhook.
    static func webhook(_ record: IntegrationRecord, revealSecret: Bool) -> JSONValue {
        guard let url = record.webhookURL else { return .null }
        var members: [(String, JSONValue)] = [("url", .string(url)), ("secret_set", .bool(record.webhookSecret != nil))]
        if revealSecret, let secret = record.webhookSecret { members.append(("secret", .string(secret))) }
        return .object(members)
    }

    /// A webhook delivery.
    public static func delivery(_ delivery: WebhookDeliveryRecord) -> JSONValue {
        .object([
            ("delivery_id", .string(delivery.id)), ("at", .time(delivery.at)), ("event", .string(delivery.event)), ("url", .string(delivery.url)),
            ("request_id", .string(delivery.requestId)), ("status", delivery.status.map(JSONValue.int) ?? .null),
            ("duration_ms", .number(String(format: "%.1f", delivery.durationMs))), ("signature_verified", .bool(delivery.signatureVerified)),
            ("outcome", .string(delivery.outcome)), ("error", .optional(delivery.error)),
        ])
    }

    /// The platform key as a JWK for encryption (`use: enc`, `alg: RSA-OAEP-256`).
    static func jwkForEncryption(_ key: RSAPublicKey) -> JSONValue {
        .object([
            ("kty", .string("RSA")), ("n", .string(Base64.urlEncode(key.modulus))), ("e", .string(Base64.urlEncode(key.exponent))),
            ("kid", .string(key.thumbprint)), ("use", .string("enc")), ("alg", .string("RSA-OAEP-256")),
        ])
    }

    /// The admin session object, with the pinned context.
    public static func session(_ session: SessionRecord) -> JSONValue {
        var context = JSONValue.null
        if let text = session.context, let parsed = try? JSONParser.parse(Array(text.utf8)) { context = parsed }
        return .object([
            ("session_id", .string(session.id)), ("integration_id", .string(session.integrationId)), ("authenticated", .bool(session.authenticated)),
            ("external_id", .optional(session.externalId)), ("issuer", .optional(session.issuer)), ("context", context),
            ("created_at", .time(session.createdAt)), ("last_seen_at", .time(session.lastSeenAt)), ("message_count", .int(session.messageCount)),
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

    /// A verification report as `/verify` answers it.
    public static func verification(_ report: VerificationReport) -> JSONValue {
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
        members.append(("warnings", .array(report.warnings.map(JSONValue.string))))
        return .object(members)
    }
}
