import Hummingbird
import MoveoAuth
import MoveoStore

/// The admin API's integrations, keys and verification (CONTRACT §5).
struct AdminIntegrationsController<Context: RequestContext> {
    let service: EmulatorService

    func addRoutes(to group: RouterGroup<Context>, table: RouteTable<Context>) {
        let base = "/v1/admin/integrations"
        table.note(base, .post)
        group.post("integrations") { request, _ in
            let fields = try await RequestBody.read(request).requiredFields()
            guard let name = try fields.string("name"), !name.isEmpty, name.unicodeScalars.count <= 256, !name.utf8.contains(0) else {
                throw Problem.invalidRequest("name is required: a string of 1 to 256 characters")
            }
            let id = try fields.string("integration_id")
            if let id, !EmulatorService.isValidIntegrationId(id) {
                throw Problem.invalidRequest("integration_id must match [A-Za-z0-9_-]{1,64}")
            }
            let bits = try fields.int("platform_key_bits", in: 2048...4096)
            if let bits, !RSAPrivateKey.allowedBits.contains(bits) { throw Problem.invalidRequest("platform_key_bits must be 2048, 3072 or 4096") }
            var publicKey = fields["public_key"]
            if case .null? = publicKey { publicKey = nil }
            let webhook = try Self.webhookFields(fields)
            let new = EmulatorService.NewIntegration(
                name: name, id: id, publicKey: publicKey, authRequired: try fields.bool("auth_required"),
                sessionTimeout: try fields.int("session_timeout", in: 1...315_360_000), platformKeyBits: bits,
                webhookURL: webhook.url ?? nil, webhookSecret: webhook.secret)
            let created = try await service.createIntegration(new)
            return JSONResponse(try service.render(created, revealSecret: created.defaultWebhook != nil), status: .created)
        }

        table.note(base, .get)
        group.get("integrations") { _, _ in
            JSONResponse(.object([("integrations", .array(try await service.database.integrations().map { try service.render($0) }))]))
        }

        table.note("\(base)/:id", .get)
        group.get("integrations/:id") { request, context in
            JSONResponse(try service.render(try await service.integration(request.parameter("id", context))))
        }

        table.note("\(base)/:id", .patch)
        group.patch("integrations/:id") { request, context in
            let body = try await RequestBody.read(request)
            let id = request.parameter("id", context)
            _ = try await service.integration(id)
            let fields = try body.requiredFields()
            let name = try fields.string("name")
            if let name, name.isEmpty || name.unicodeScalars.count > 256 || name.utf8.contains(0) { throw Problem.invalidRequest("name must be a string of 1 to 256 characters") }
            let authRequired = try fields.bool("auth_required")
            let timeout = try fields.int("session_timeout", in: 1...315_360_000)
            let webhook = try Self.webhookFields(fields)
            var updated = try await service.database.updateIntegration(id: id, name: name, authRequired: authRequired, sessionTimeout: timeout)
            var reveal = false
            if let url = webhook.url {
                reveal = url != nil && (webhook.secret != nil || updated.defaultWebhook == nil)
                updated = try await service.setDefaultWebhook(integrationId: id, url: url, secret: webhook.secret)
            } else if let secret = webhook.secret {
                guard let url = updated.defaultWebhook?.url else { throw Self.noDefaultWebhook }
                updated = try await service.setDefaultWebhook(integrationId: id, url: url, secret: secret)
                reveal = true
            }
            return JSONResponse(try service.render(updated, revealSecret: reveal))
        }

        table.note("\(base)/:id", .delete)
        group.delete("integrations/:id") { request, context in
            try await service.database.deleteIntegration(id: request.parameter("id", context))
            return Response(status: .noContent)
        }

        table.note("\(base)/:id/public-key", .put)
        group.put("integrations/:id/public-key") { request, context in
            try await setKey(request, context, replace: true)
        }

        table.note("\(base)/:id/customer-keys", .post)
        group.post("integrations/:id/customer-keys") { request, context in
            var response = try await setKey(request, context, replace: false)
            response.status = .created
            return response
        }

        table.note("\(base)/:id/customer-keys/:kid", .delete)
        group.delete("integrations/:id/customer-keys/:kid") { request, context in
            let updated = try await service.database.deleteCustomerKey(integrationId: request.parameter("id", context),
                                                                       kid: request.parameter("kid", context))
            return JSONResponse(try service.render(updated))
        }

        table.note("\(base)/:id/platform-key/rotate", .post)
        group.post("integrations/:id/platform-key/rotate") { request, context in
            _ = try await RequestBody.read(request)
            return JSONResponse(try service.render(try await service.rotatePlatformKey(integrationId: request.parameter("id", context))))
        }

        table.note("\(base)/:id/webhook/rotate-secret", .post)
        group.post("integrations/:id/webhook/rotate-secret") { request, context in
            _ = try await RequestBody.read(request)
            let id = request.parameter("id", context)
            let integration = try await service.integration(id)
            guard let url = integration.defaultWebhook?.url else { throw Self.noDefaultWebhook }
            let updated = try await service.setDefaultWebhook(integrationId: id, url: url, secret: EmulatorService.newWebhookSecret())
            return JSONResponse(try service.render(updated, revealSecret: true))
        }

        table.note("\(base)/:id/verify", .post)
        group.post("integrations/:id/verify") { request, context in
            let body = try await RequestBody.read(request)
            let integration = try await service.integration(request.parameter("id", context))
            let token = try body.requiredFields().string("identity_token")
            return JSONResponse(try await service.verifyForAdmin(token, integration: integration))
        }

        table.note("\(base)/:id/lint", .get)
        group.get("integrations/:id/lint") { request, context in
            JSONResponse(try await service.lintReport(integrationId: request.parameter("id", context)))
        }
    }

    /// The v3 fields address the dialog webhook `default`; without it there is no secret to set or rotate.
    static var noDefaultWebhook: Problem {
        Problem(.notFound, "webhook_not_found", "the integration has no webhook_url (its dialog webhook \"default\")",
                hint: "set webhook_url first, or use …/webhooks/{webhook_id}/rotate-token for the other webhooks")
    }

    /// `webhook_url` (string, or null to remove: `.some(nil)`) and `webhook_secret` from a body.
    static func webhookFields(_ fields: BodyFields) throws -> (url: String??, secret: String?) {
        var url: String?? = nil
        if let member = fields["webhook_url"] {
            if case .null = member {
                url = .some(nil)
            } else {
                guard let text = member.stringValue, EmulatorService.isValidWebhookURL(text) else {
                    throw Problem.invalidRequest("webhook_url must be an http(s) URL with a host")
                }
                url = .some(text)
            }
        }
        let secret = try fields.string("webhook_secret")
        if let secret, !(8...256).contains(secret.unicodeScalars.count) || secret.utf8.contains(0) {
            throw Problem.invalidRequest("webhook_secret must be 8 to 256 characters")
        }
        return (url, secret)
    }

    private func setKey(_ request: Request, _ context: Context, replace: Bool) async throws -> JSONResponse {
        let body = try await RequestBody.read(request)
        let id = request.parameter("id", context)
        _ = try await service.integration(id)
        guard let key = try body.requiredFields()["public_key"], key != .null else { throw Problem.invalidRequest("public_key is required") }
        return JSONResponse(try service.render(try await service.setCustomerKey(key, integrationId: id, replace: replace)))
    }
}
