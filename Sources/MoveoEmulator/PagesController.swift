import Foundation
import Hummingbird
import MoveoAuth
import MoveoStore

/// The pages a person opens (CONTRACT §6): the dashboard, webchat.js, and the demo page.
struct PagesController<Context: RequestContext> {
    let service: EmulatorService

    func addRoutes(to router: Router<Context>, table: RouteTable<Context>) {
        for path in ["/", "/dashboard.js", "/dashboard.css", "/webchat.js", "/openapi.json"] {
            table.note(path, .get)
            router.get(RouterPath(path)) { _, _ -> Response in
                guard let asset = WebAssets.byPath[path] else { throw Problem.notFound }
                return WebAssets.response(asset.bytes, contentType: asset.contentType)
            }
        }
        table.note("/demo", .get)
        router.get("/demo") { _, _ -> Response in
            let page = try await demoPage()
            return WebAssets.response(ByteBuffer(string: page.html), contentType: "text/html; charset=utf-8", status: page.status)
        }
    }

    /// The demo page: webchat.js against `demo`, with a token minted from the test-only demo key (for `demo` only).
    func demoPage() async throws -> (html: String, status: HTTPResponse.Status) {
        guard let integration = try await service.database.integration(id: "demo") else {
            return (DemoPage.unavailable("There is no integration \"demo\" (the database was not empty at start, or --no-demo)."), .notFound)
        }
        guard let signingKey = try? RSAPrivateKey(pem: Embedded.DemoKeys.customerPrivate) else {
            return (DemoPage.unavailable("The test-only demo key is not built into this binary."), .notFound)
        }
        let keys = try service.keys.keys(for: integration)
        guard let current = integration.currentPlatformKey, let platform = keys.platformPublicKeys[current.kid] else {
            return (DemoPage.unavailable("The demo integration has no platform key."), .notFound)
        }
        let token = try TokenSigner(signingKey: signingKey, platformKey: platform)
            .identityToken(issuer: "moveo-emulator-demo", subject: "demo-user", now: service.clock.now(), ttl: 60, context: DemoPage.sampleContext)
        return (DemoPage.html(token: token), .ok)
    }
}
