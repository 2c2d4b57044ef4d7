import Foundation
import Hummingbird
import Logging
import MoveoAuth

/// Logs one line per request: method, path (no query), status, duration — never a body, token or header value.
struct RequestLogMiddleware<Context: RequestContext>: RouterMiddleware {
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let response = try await next(request, context)
        let elapsed = ContinuousClock.now - start
        let millis = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        logger.info("\(request.method.rawValue) \(request.uri.path) \(response.status.code) \(String(format: "%.1f", millis))ms")
        return response
    }
}

/// Turns every thrown error into its problem+json response, so the layers above always see a response.
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let problem = Problem.from(error)
            if problem.status.code >= 500 {
                logger.error("unexpected failure on \(request.method.rawValue) \(request.uri.path): \(type(of: error))")
            }
            return try problem.response(from: request, context: context)
        }
    }
}

/// CORS for everything but the admin API: any origin, on every answer (errors included); preflights answer 204.
struct CORSMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        if !request.uri.path.hasPrefix("/v1/admin") {
            response.headers[.accessControlAllowOrigin] = "*"
            if request.method == .options {
                response.headers[.accessControlAllowMethods] = "GET, POST, OPTIONS"
                response.headers[.accessControlAllowHeaders] = "Authorization, Content-Type"
                response.headers[.accessControlMaxAge] = "600"
            }
        }
        return response
    }
}

/// The admin API's bearer token, compared in constant time.
struct AdminAuthMiddleware<Context: RequestContext>: RouterMiddleware {
    let token: String

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization], header.count > 7, header.prefix(7).lowercased() == "bearer " else {
            throw Problem.unauthorized
        }
        let presented = String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces)
        guard Digest.constantTimeEquals(presented, token) else { throw Problem.unauthorized }
        return try await next(request, context)
    }
}
