import Hummingbird
import MoveoAuth
import MoveoStore

/// The browser's API (CONTRACT §4, §9): config, sessions, messages, context, locale, ending. Nothing here ever returns a context.
struct WebchatController<Context: RequestContext> {
    let service: EmulatorService

    /// The longest message text, in Unicode scalars.
    static var maxTextLength: Int { 4096 }

    func addRoutes(to router: Router<Context>, table: RouteTable<Context>) {
        table.note("/health", .get)
        router.get("/health") { _, _ in JSONResponse(.object([("status", .string("ok"))])) }

        table.note("/v1/webchat/:integration_id/config", .get)
        router.get("/v1/webchat/:integration_id/config") { request, context in
            try await config(of: request.parameter("integration_id", context))
        }

        table.note("/v1/webchat/:integration_id/sessions", .post)
        router.post("/v1/webchat/:integration_id/sessions") { request, context in
            try await createSession(request, in: request.parameter("integration_id", context))
        }

        // An integration whose id is `sessions` would otherwise be shadowed by the literal `sessions` segment
        // of the messages route below (the router does not backtrack), so its two paths are spelled out.
        table.note("/v1/webchat/sessions/config", .get)
        router.get("/v1/webchat/sessions/config") { _, _ in try await config(of: "sessions") }
        table.note("/v1/webchat/sessions/sessions", .post)
        router.post("/v1/webchat/sessions/sessions") { request, _ in try await createSession(request, in: "sessions") }

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
            let exchange = try await service.postMessage(text, token: try Self.token(fields, request), session: session, integration: integration)
            return JSONResponse(.object([
                ("message_id", .string(exchange.message.id)), ("session_id", .string(session.id)),
                ("reply", .object([("text", .string(exchange.reply.text))])), ("responses", .array(exchange.responses)),
            ]), status: .created)
        }

        table.note("/v1/webchat/sessions/:session_id/context", .post)
        router.post("/v1/webchat/sessions/:session_id/context") { request, context in
            let body = try await RequestBody.read(request)
            let (session, integration) = try await service.liveSession(request.parameter("session_id", context), action: "context_update")
            let fields = try body.requiredFields()
            guard let update = fields["context"] else { throw Problem.invalidRequest("context is required") }
            guard case .object(let members) = update else {
                throw Problem.invalidRequest("context must be a JSON object, not \(update.typeName)", hint: "updateContext({user: {nickname: 'Zed'}})")
            }
            let result = try await service.updateContext(members, token: try Self.token(fields, request), session: session, integration: integration)
            return JSONResponse(.object([
                ("session_id", .string(session.id)), ("applied", .array(result.applied.map(JSONValue.string))),
                ("ignored", .array(result.ignored.map(JSONValue.string))),
            ]))
        }

        table.note("/v1/webchat/sessions/:session_id/locale", .put)
        router.put("/v1/webchat/sessions/:session_id/locale") { request, context in
            let body = try await RequestBody.read(request)
            let (session, _) = try await service.liveSession(request.parameter("session_id", context), action: "locale_update")
            let fields = try body.requiredFields()
            guard let locale = try fields.string("locale") else { throw Problem.invalidRequest("locale is required") }
            guard EmulatorService.isValidLocale(locale) else {
                throw Problem.invalidRequest("locale must be a BCP 47 tag of 2 to 35 characters [A-Za-z0-9-]", hint: "for example \"el\" or \"pt-BR\"")
            }
            try await service.setLocale(locale, session: session)
            return JSONResponse(.object([("session_id", .string(session.id)), ("locale", .string(locale))]))
        }

        table.note("/v1/webchat/sessions/:session_id", .delete)
        router.delete("/v1/webchat/sessions/:session_id") { request, context in
            try await service.endSession(request.parameter("session_id", context))
            return Response(status: .noContent)
        }
    }

    /// The token of the body's `identity_token` (`""` and null count as absent), else of `Authorization: Bearer`.
    private static func token(_ fields: BodyFields?, _ request: Request) throws -> String? {
        try fields?.string("identity_token").flatMap { $0.isEmpty ? nil : $0 } ?? request.bearerToken
    }

    /// What the widget needs before it starts: the integration's public settings.
    private func config(of integrationId: String) async throws -> JSONResponse {
        let integration = try await service.integration(integrationId).record
        return JSONResponse(.object([
            ("integration_id", .string(integration.id)), ("name", .string(integration.name)),
            ("auth_required", .bool(integration.authRequired)), ("session_timeout", .int(integration.sessionTimeout)),
        ]))
    }

    /// Starts a session with the token of the body or of the Authorization header.
    private func createSession(_ request: Request, in integrationId: String) async throws -> JSONResponse {
        let body = try await RequestBody.read(request)
        let integration = try await service.integration(integrationId)
        let fields = try body.fields()
        let session = try await service.createSession(in: integration, token: try Self.token(fields, request))
        return JSONResponse(.object([
            ("session_id", .string(session.id)), ("integration_id", .string(session.integrationId)),
            ("external_id", .optional(session.externalId)), ("created_at", .time(session.createdAt)),
        ]), status: .created)
    }
}
