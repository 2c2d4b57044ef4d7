import Foundation
import MoveoAuth

/// Random URL-safe identifiers from OpenSSL's CSPRNG.
public enum RandomID {
    /// A session id: 192 random bits, base64url (a capability: whoever holds it carries the session).
    public static func session() -> String { "s_" + Base64.urlEncode(Digest.randomBytes(24)) }

    /// A message id: time-ordered, then 72 random bits.
    public static func message() -> String { "m_" + timeOrdered() }

    /// An event id: time-ordered, then 72 random bits.
    public static func event() -> String { "e_" + timeOrdered() }

    /// 13 hex digits of the wall clock in microseconds, then 9 random bytes: a new row's id lands at the right
    /// edge of its primary-key index (one page touched, shared by the rows of a batch) instead of on a random page.
    static func timeOrdered() -> String {
        let micros = UInt64(max(0, Date().timeIntervalSince1970 * 1_000_000))
        let hex = String(micros, radix: 16)
        return String(repeating: "0", count: max(0, 13 - hex.count)) + hex + Base64.urlEncode(Digest.randomBytes(9))
    }

    /// A webhook id: 96 random bits.
    public static func webhook() -> String { "wh_" + Digest.hex(Digest.randomBytes(12)) }

    /// A delivery id: time-ordered, then 72 random bits (calls of one message list in call order).
    public static func delivery() -> String { "d_" + timeOrdered() }

    /// An integration id when none was given.
    public static func integration() -> String { "int_" + Digest.hex(Digest.randomBytes(6)) }

    /// An admin token: 256 random bits; never begins with `-`.
    public static func adminToken() -> String { "met_" + Base64.urlEncode(Digest.randomBytes(32)) }
}
