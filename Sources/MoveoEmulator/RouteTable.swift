import Foundation
import Hummingbird

/// Remembers which methods each path has, so every other method answers 405 instead of 404 (CONTRACT §8).
final class RouteTable<Context: RequestContext> {
    private var methods: [String: Set<HTTPRequest.Method>] = [:]
    private var order: [String] = []

    /// Every noted path with its methods, in the order noted.
    var routes: [(path: String, methods: Set<HTTPRequest.Method>)] { order.map { ($0, methods[$0] ?? []) } }

    /// Notes that `path` answers `method`.
    func note(_ path: String, _ method: HTTPRequest.Method) {
        if methods[path] == nil { order.append(path) }
        methods[path, default: []].insert(method)
    }

    /// Registers 405 answers for the other methods of every noted path; web chat paths answer preflights with 204.
    func addMethodNotAllowed(to router: Router<Context>) {
        let all: [HTTPRequest.Method] = [.get, .post, .put, .patch, .delete, .options, .head]
        for path in order {
            let taken = methods[path] ?? []
            for method in all where !taken.contains(method) {
                if method == .options, !path.hasPrefix("/v1/admin") {
                    router.on(RouterPath(path), method: .options) { _, _ in Response(status: .noContent) }
                } else {
                    // RFC 9110 §15.5.6: a 405 names the methods the route has.
                    let allow = all.filter { taken.contains($0) || ($0 == .options && !path.hasPrefix("/v1/admin")) }.map(\.rawValue).joined(separator: ", ")
                    router.on(RouterPath(path), method: method) { request, context -> Response in
                        var response = try Problem.methodNotAllowed(request.method).response(from: request, context: context)
                        response.headers[.allow] = allow
                        return response
                    }
                }
            }
        }
    }
}

extension Request {
    /// A path parameter, percent-decoded.
    func parameter(_ name: String, _ context: some RequestContext) -> String {
        let raw = context.parameters.get(name) ?? ""
        return raw.removingPercentEncoding ?? raw
    }

    /// The bearer token of the Authorization header, if any.
    var bearerToken: String? {
        guard let header = headers[.authorization], header.count > 7, header.prefix(7).lowercased() == "bearer " else { return nil }
        let token = header.dropFirst(7).trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }
}
