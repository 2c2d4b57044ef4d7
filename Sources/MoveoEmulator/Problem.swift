import Hummingbird
import MoveoAuth

/// An RFC 9457 problem with the contract's stable `code`: the one error type every response is made from.
public struct Problem: HTTPResponseError, Sendable, Equatable {
    /// The HTTP status.
    public var status: HTTPResponse.Status
    /// The stable code (CONTRACT §2).
    public var code: String
    /// What went wrong, in words; never a secret.
    public var detail: String
    /// The claim at fault, where one is.
    public var claim: String?
    /// What the client most likely did wrong.
    public var hint: String?

    /// Creates a problem.
    public init(_ status: HTTPResponse.Status, _ code: String, _ detail: String, claim: String? = nil, hint: String? = nil) {
        self.status = status
        self.code = code
        self.detail = detail
        self.claim = claim
        self.hint = hint
    }

    /// `{"type","title","status","code","detail","claim"?,"hint"?}`.
    public var json: JSONValue {
        var members: [(String, JSONValue)] = [
            ("type", .string("urn:moveo-emulator:\(code)")),
            ("title", .string(Self.title(for: status))),
            ("status", .number(String(status.code))),
            ("code", .string(code)),
            ("detail", .string(detail)),
        ]
        if let claim { members.append(("claim", .string(claim))) }
        if let hint { members.append(("hint", .string(hint))) }
        return .object(members)
    }

    /// The problem as an `application/problem+json` response.
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/problem+json"
        if code == "unauthorized" { headers[.wwwAuthenticate] = "Bearer" }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: JSONWriter.string(json))))
    }

    private static func title(for status: HTTPResponse.Status) -> String {
        status.reasonPhrase.isEmpty ? "Error" : status.reasonPhrase
    }

    // MARK: - The fixed problems

    /// 400 `invalid_request`.
    public static func invalidRequest(_ detail: String, hint: String? = nil) -> Problem {
        Problem(.badRequest, "invalid_request", detail, hint: hint)
    }

    /// 404 `not_found`.
    public static let notFound = Problem(.notFound, "not_found", "no such route")

    /// 405 `method_not_allowed`.
    public static func methodNotAllowed(_ method: HTTPRequest.Method) -> Problem {
        Problem(.methodNotAllowed, "method_not_allowed", "the route exists, but not for \(method.rawValue)")
    }

    /// 401 `unauthorized`.
    public static let unauthorized = Problem(.unauthorized, "unauthorized", "the admin API needs Authorization: Bearer <admin token>",
                                             hint: "the admin token was printed at the first start; `moveo-emulator admin-token` prints it again")

    /// 413 `payload_too_large`.
    public static let payloadTooLarge = Problem(.contentTooLarge, "payload_too_large", "the request body is over 1 MiB")
}
