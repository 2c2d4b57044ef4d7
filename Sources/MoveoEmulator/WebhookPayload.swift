import MoveoAuth
import MoveoStore

/// The body the emulator POSTs to a customer's webhook, in the shape of Moveo's dialog webhooks.
///
/// `{"channel":"web","session_id","brain_id","lang":"en","event","context":{…pinned context…, "external_id",
/// "sys-channel","sys-session_id","sys-user_message_counter"},"input":{"text"},"intents":[],"entities":[],"tags":[]}`
enum WebhookPayload {
    /// The JSON text for one delivery.
    static func body(event: String, session: SessionRecord, text: String, messageNumber: Int) -> String {
        var context: [(String, JSONValue)] = []
        if let pinned = session.context, let members = (try? JSONParser.parse(Array(pinned.utf8)))?.objectMembers {
            context = members
        }
        func add(_ name: String, _ value: JSONValue) {
            if !context.contains(where: { $0.0 == name }) { context.append((name, value)) }
        }
        add("external_id", .optional(session.externalId))
        add("sys-channel", .string("web"))
        add("sys-session_id", .string(session.id))
        add("sys-user_message_counter", .int(messageNumber))
        return JSONWriter.string(.object([
            ("channel", .string("web")), ("session_id", .string(session.id)), ("brain_id", .string(session.integrationId)),
            ("lang", .string("en")), ("event", .string(event)), ("context", .object(context)),
            ("input", .object([("text", .string(text))])), ("intents", .array([])), ("entities", .array([])), ("tags", .array([])),
        ]))
    }

    /// `X-Moveo-Signature`: lowercase hex HMAC-SHA256 of the exact body bytes under the secret.
    static func signature(body: String, secret: String) -> String {
        Digest.hex(Digest.hmacSHA256(key: Array(secret.utf8), message: Array(body.utf8)))
    }

    /// Whether `signature` is the body's signature under `secret` (constant time).
    static func verify(body: [UInt8], secret: String, signature: String) -> Bool {
        let expected = Digest.hex(Digest.hmacSHA256(key: Array(secret.utf8), message: body))
        return Digest.constantTimeEquals(expected, signature.lowercased())
    }
}
