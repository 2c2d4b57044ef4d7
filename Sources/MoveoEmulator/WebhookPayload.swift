import MoveoAuth
import MoveoStore

/// The body the emulator POSTs to a customer's webhook, in the shape of Moveo's webhooks (CONTRACT §10).
///
/// `{"channel":"web","session_id","brain_id","lang","context":{…effective context…, "external_id","sys-channel",
/// "sys-session_id","sys-user_message_counter","sys-unknown_counter"},"input":{"text"},"intents":[],"entities":[],"tags":[]}`,
/// plus `"output":{"responses":[…]}` for `post_message`.
enum WebhookPayload {
    /// The JSON text for one call; `session` carries the variables written by the calls before this one.
    static func body(session: SessionRecord, text: String, userMessageCounter: Int, output responses: [JSONValue]? = nil) -> String {
        var context = session.effectiveContext.objectMembers ?? []
        func add(_ name: String, _ value: JSONValue) {
            if !context.contains(where: { $0.0 == name }) { context.append((name, value)) }
        }
        add("external_id", .optional(session.externalId))
        add("sys-channel", .string("web"))
        add("sys-session_id", .string(session.id))
        add("sys-user_message_counter", .int(userMessageCounter))
        add("sys-unknown_counter", .int(0))
        var members: [(String, JSONValue)] = [
            ("channel", .string("web")), ("session_id", .string(session.id)), ("brain_id", .string(session.integrationId)),
            ("lang", .string(session.locale)), ("context", .object(context)),
            ("input", .object([("text", .string(text))])), ("intents", .array([])), ("entities", .array([])), ("tags", .array([])),
        ]
        if let responses { members.append(("output", .object([("responses", .array(responses))]))) }
        return JSONWriter.string(.object(members))
    }

    /// `X-Moveo-Signature`: lowercase hex HMAC-SHA256 of the exact body bytes, keyed with the verification token's UTF-8 bytes.
    static func signature(body: String, secret: String) -> String {
        Digest.hex(Digest.hmacSHA256(key: Array(secret.utf8), message: Array(body.utf8)))
    }

    /// Whether `signature` is the body's signature under `secret` (constant time).
    static func verify(body: [UInt8], secret: String, signature: String) -> Bool {
        let expected = Digest.hex(Digest.hmacSHA256(key: Array(secret.utf8), message: body))
        return Digest.constantTimeEquals(expected, signature.lowercased())
    }
}
