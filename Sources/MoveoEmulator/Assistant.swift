import MoveoStore

/// The stand-in assistant: a deterministic reply that says what it received, never anything of the context.
public enum Assistant {
    /// The reply to `text` in `session`.
    public static func reply(to text: String, in session: SessionRecord) -> String {
        let who = session.authenticated ? "an authenticated user" : "an anonymous visitor"
        let context = session.context == nil ? "no private context" : "a private context (kept server-side)"
        return "Echo: \(text) — from \(who), with \(context); message \(session.messageCount / 2 + 1) of this session."
    }
}
