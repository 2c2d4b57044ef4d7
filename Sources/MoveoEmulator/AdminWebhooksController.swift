import Hummingbird
import MoveoAuth
import MoveoStore

/// The admin API's webhooks (CONTRACT §10): list, create, change, rotate the token, delete; and the account webhook calls name.
struct AdminWebhooksController<Context: RequestContext> {
    let service: EmulatorService

    func addRoutes(to group: RouterGroup<Context>, table: RouteTable<Context>) {
        let base = "/v1/admin/integrations/:id/webhooks"

        table.note(base, .get)
        group.get("integrations/:id/webhooks") { request, context in
            let integration = try await service.integration(request.parameter("id", context))
            return JSONResponse(.object([("webhooks", .array(integration.webhooks.map { Views.webhook($0) }))]))
        }

        table.note(base, .post)
        group.post("integrations/:id/webhooks") { request, context in
            let body = try await RequestBody.read(request)
            let id = request.parameter("id", context)
            _ = try await service.integration(id)
            let settings = try Self.settings(try body.requiredFields().value, creating: true)
            let created = try await service.createWebhook(integrationId: id, settings: settings)
            return JSONResponse(Views.webhook(created, revealToken: true), status: .created)
        }

        table.note("\(base)/:webhook_id", .patch)
        group.patch("integrations/:id/webhooks/:webhook_id") { request, context in
            let body = try await RequestBody.read(request)
            let (id, webhookId) = try await Self.webhook(request, context, service)
            let settings = try Self.settings(try body.requiredFields().value, creating: false, allowType: false)
            if settings.verificationToken != nil {
                throw Problem.invalidRequest("verification_token cannot be set by PATCH", hint: "POST …/webhooks/{webhook_id}/rotate-token")
            }
            return JSONResponse(Views.webhook(try await service.updateWebhook(integrationId: id, webhookId: webhookId, settings: settings)))
        }

        table.note("\(base)/:webhook_id", .delete)
        group.delete("integrations/:id/webhooks/:webhook_id") { request, context in
            let (id, webhookId) = try await Self.webhook(request, context, service)
            try await service.database.deleteWebhook(integrationId: id, webhookId: webhookId)
            return Response(status: .noContent)
        }

        table.note("\(base)/:webhook_id/rotate-token", .post)
        group.post("integrations/:id/webhooks/:webhook_id/rotate-token") { request, context in
            _ = try await RequestBody.read(request)
            let (id, webhookId) = try await Self.webhook(request, context, service)
            return JSONResponse(Views.webhook(try await service.rotateWebhookToken(integrationId: id, webhookId: webhookId), revealToken: true))
        }

        table.note("/v1/admin/account", .get)
        group.get("account") { _, _ in
            let account = try await service.account()
            return JSONResponse(.object([("account_id", .string(account.id)), ("account_slug", .string(account.slug))]))
        }
    }

    /// The integration and webhook ids of the path, refusing an unknown integration or webhook (404).
    private static func webhook(_ request: Request, _ context: Context, _ service: EmulatorService) async throws -> (String, String) {
        let id = request.parameter("id", context)
        let webhookId = request.parameter("webhook_id", context)
        let integration = try await service.integration(id)
        guard integration.webhooks.contains(where: { $0.id == webhookId }) else { throw StoreError.webhookNotFound(webhookId) }
        return (id, webhookId)
    }

    /// The body's settings, or `invalid_request` naming the member at fault.
    private static func settings(_ value: JSONValue, creating: Bool, allowType: Bool = true) throws -> WebhookSettings {
        do {
            return try WebhookSettings.read(value, creating: creating, allowType: allowType)
        } catch {
            throw Problem.invalidRequest("\(error.field) \(error.message)")
        }
    }
}
