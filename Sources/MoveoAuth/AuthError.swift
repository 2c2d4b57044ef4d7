/// A refusal by token verification or key import: a stable code, a detail, and where known the claim and a hint.
public struct AuthError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The stable CONTRACT §2 code.
    public var code: AuthErrorCode
    /// A sentence saying what was wrong; never a secret.
    public var detail: String
    /// The claim at fault, where one is.
    public var claim: String?
    /// What the client most likely did wrong and how to fix it.
    public var hint: String?

    /// Creates a refusal.
    public init(_ code: AuthErrorCode, _ detail: String, claim: String? = nil, hint: String? = nil) {
        self.code = code
        self.detail = detail
        self.claim = claim
        self.hint = hint
    }

    /// `code: detail (hint)`, for logs and the CLI.
    public var description: String {
        var text = "\(code.rawValue): \(detail)"
        if let hint { text += " (hint: \(hint))" }
        return text
    }
}
