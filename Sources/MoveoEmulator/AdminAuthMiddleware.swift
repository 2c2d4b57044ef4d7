import Hummingbird
import MoveoAuth

/// The admin API's bearer token, compared in constant time.
struct AdminAuthMiddleware<Context: RequestContext>: RouterMiddleware {
    let token: String

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let presented = request.bearerToken, Digest.constantTimeEquals(presented, token) else { throw Problem.unauthorized }
        return try await next(request, context)
    }
}
