import Hummingbird
import MoveoPostgres
import Logging

/// Turns every thrown error into its problem+json response, so the layers above always see a response.
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    let logger: Logger
    /// The routed paths: a method no route has on a routed path is a 405 with `Allow`, whatever the method.
    let table: RouteTable<Context>

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            guard let allow = table.allow(forPath: request.uri.path) else { return try Problem.from(error).response(from: request, context: context) }
            var response = try Problem.methodNotAllowed(request.method).response(from: request, context: context)
            response.headers[.allow] = allow
            return response
        } catch {
            let problem = Problem.from(error)
            if problem.code == "store_unavailable" {
                // A PostgresUnavailable says why in words that never hold the password; any other error only by its type.
                let cause = (error as? PostgresUnavailable)?.cause ?? "\(type(of: error))"
                logger.warning("the database could not be reached for \(request.method.rawValue) \(request.uri.path): \(cause)")
            } else if problem.status.code >= 500 {
                logger.error("unexpected failure on \(request.method.rawValue) \(request.uri.path): \(type(of: error))")
            }
            return try problem.response(from: request, context: context)
        }
    }
}
