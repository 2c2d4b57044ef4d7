import Hummingbird
import Logging

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
