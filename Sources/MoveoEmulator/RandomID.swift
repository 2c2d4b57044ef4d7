import MoveoAuth

/// Random URL-safe identifiers from OpenSSL's CSPRNG.
public enum RandomID {
    /// A session id: 192 random bits, base64url (a capability: whoever holds it carries the session).
    public static func session() -> String { "s_" + Base64.urlEncode(Digest.randomBytes(24)) }

    /// A message id.
    public static func message() -> String { "m_" + Base64.urlEncode(Digest.randomBytes(12)) }

    /// An event id.
    public static func event() -> String { "e_" + Base64.urlEncode(Digest.randomBytes(12)) }

    /// An integration id when none was given.
    public static func integration() -> String { "int_" + Digest.hex(Digest.randomBytes(6)) }

    /// An admin token: 256 random bits; never begins with `-`.
    public static func adminToken() -> String { "met_" + Base64.urlEncode(Digest.randomBytes(32)) }
}
