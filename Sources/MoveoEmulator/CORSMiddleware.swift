import Hummingbird

/// CORS for everything but the admin API: any origin, on every answer (errors included); preflights answer 204.
struct CORSMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        if !request.uri.path.hasPrefix("/v1/admin") {
            response.headers[.accessControlAllowOrigin] = "*"
            if request.method == .options {
                response.headers[.accessControlAllowMethods] = "GET, POST, PUT, DELETE, OPTIONS"
                response.headers[.accessControlAllowHeaders] = "Authorization, Content-Type"
                response.headers[.accessControlMaxAge] = "600"
            }
        }
        return response
    }
}
