import Hummingbird
import MoveoAuth

/// A JSON body with a status, written by `JSONWriter` (member order kept).
public struct JSONResponse: ResponseGenerator, Sendable {
    /// The status.
    public var status: HTTPResponse.Status
    /// The body.
    public var body: JSONValue

    /// A 200 (or `status`) with `body`.
    public init(_ body: JSONValue, status: HTTPResponse.Status = .ok) {
        self.status = status
        self.body = body
    }

    /// The response.
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: JSONWriter.string(body))))
    }
}

extension JSONValue {
    /// A string, or `null` for nil.
    static func optional(_ text: String?) -> JSONValue { text.map(JSONValue.string) ?? .null }

    /// An integer number.
    static func int(_ value: Int) -> JSONValue { .number(String(value)) }

    /// An RFC 3339 time.
    static func time(_ seconds: Double) -> JSONValue { .string(Timestamp.format(seconds)) }
}
