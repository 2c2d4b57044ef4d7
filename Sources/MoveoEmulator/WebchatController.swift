import Hummingbird
import MoveoAuth
import MoveoStore

/// The browser's API (CONTRACT §4): config, sessions, messages. Nothing here ever returns a context.
struct WebchatController<Context: RequestContext> {
    let service: EmulatorService

    /// The longest message text, in Unicode scalars.
    static var maxTextLength: Int { 4096 }

    func addRoutes(to router: Router<Context>, table: RouteTable<Context>) {
        table.note("/health", .get)
        router.get("/health") { _, _ in JSONResponse(.object([("status", .string("ok"))])) }

        table.note("/v1/webchat/:integration_id/config", .get)
        router.get("/v1/webchat/:integration_id/config") { request, context in
            let integration = try await service.integration(request.parameter("integration_id", context)).record
            return JSONResponse(.object([
                ("integration_id", .string(integration.id)), ("name", .string(integration.name)),
                ("auth_required", .bool(integration.authRequired)), ("session_timeout", .int(integration.sessionTimeout)),
            ]))
        }

        table.note("/v1/webchat/:integration_id/sessions", .post)
        router.post("/v1/webchat/:integration_id/sessions") { request, context in
            let body = try await RequestBody.read(request)
            let integration = try await service.integration(request.parameter("integration_id", context))
            let fields = try body.fields()
            let token = try fields?.string("identity_token").flatMap { $0.isEmpty ? nil : $0 } ?? request.bearerToken
            let session = try await service.createSession(in: integration, token: token)
            return JSONResponse(.object([
                ("session_id", .string(session.id)), ("integration_id", .string(session.integrationId)),
                ("external_id", .optional(session.externalId)), ("created_at", .time(session.createdAt)),
            ]), status: .created)
        }

        table.note("/v1/webchat/sessions/:session_id/messages", .post)
        router.post("/v1/webchat/sessions/:session_id/messages") { request, context in
            let body = try await RequestBody.read(request)
            let (session, integration) = try await service.liveSession(request.parameter("session_id", context))
            let fields = try body.requiredFields()
            guard let text = try fields.string("text") else { throw Problem.invalidRequest("text is required") }
            guard !text.utf8.contains(0) else { throw Problem.invalidRequest("text contains a NUL character") }
            let length = text.unicodeScalars.count
            guard (1...Self.maxTextLength).contains(length) else {
                throw Problem.invalidRequest("text is \(length) characters; it must be 1 to \(Self.maxTextLength)")
            }
            let token = try fields.string("identity_token").flatMap { $0.isEmpty ? nil : $0 } ?? request.bearerToken
            let (message, reply) = try await service.postMessage(text, token: token, session: session, integration: integration)
            return JSONResponse(.object([
                ("message_id", .string(message.id)), ("session_id", .string(session.id)), ("reply", .object([("text", .string(reply.text))])),
            ]), status: .created)
        }
    }
}
