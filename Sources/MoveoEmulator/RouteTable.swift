import Foundation
import Hummingbird

/// Remembers which methods each path has, so every other method answers 405 instead of 404 (CONTRACT §8).
///
/// Filled while the router is built, only read once the server runs (hence `@unchecked Sendable`).
final class RouteTable<Context: RequestContext>: @unchecked Sendable {
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
        for path in order {
            let taken = methods[path] ?? []
            for method in Self.all where !taken.contains(method) {
                if method == .options, !path.hasPrefix("/v1/admin") {
                    router.on(RouterPath(path), method: .options) { _, _ in Response(status: .noContent) }
                } else {
                    // RFC 9110 §15.5.6: a 405 names the methods the route has.
                    let allow = Self.allowHeader(taken, path: path)
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

extension RouteTable {
    /// The methods a 405 can name, in the order `Allow` lists them.
    static var all: [HTTPRequest.Method] { [.get, .post, .put, .patch, .delete, .options, .head, .trace] }

    /// `Allow` for a path routed with `taken`: web chat and page paths also answer preflights.
    static func allowHeader(_ taken: Set<HTTPRequest.Method>, path: String) -> String {
        all.filter { taken.contains($0) || ($0 == .options && !path.hasPrefix("/v1/admin")) }.map(\.rawValue).joined(separator: ", ")
    }

    /// For a request the router found no route for (any method, `QUERY` or `PROPFIND` too): the `Allow` of the most
    /// specific noted path that matches it, or nil when no path does (a true 404).
    func allow(forPath path: String) -> String? {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        var best: (literals: Int, path: String)?
        for template in routes.map(\.path) {
            let parts = template.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == segments.count else { continue }
            var literals = 0
            var matches = true
            for (part, segment) in zip(parts, segments) {
                if part.hasPrefix(":") {
                    matches = !segment.isEmpty
                } else {
                    matches = part == segment
                    literals += 1
                }
                if !matches { break }
            }
            if matches, literals > (best?.literals ?? -1) { best = (literals, template) }
        }
        guard let best else { return nil }
        return Self.allowHeader(routes.first { $0.path == best.path }?.methods ?? [], path: best.path)
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
