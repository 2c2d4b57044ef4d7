import Hummingbird
import MoveoAuth
import MoveoStore

/// The admin API's stored records: sessions, transcripts, users, events, usage, reset (CONTRACT §5).
struct AdminRecordsController<Context: RequestContext> {
    let service: EmulatorService

    /// The default and largest page size.
    static var defaultLimit: Int { 50 }
    static var maxLimit: Int { 500 }

    func addRoutes(to group: RouterGroup<Context>, table: RouteTable<Context>) {
        table.note("/v1/admin/sessions", .get)
        group.get("sessions") { request, _ in
            let query = request.uri.queryParameters
            let page = try await service.database.sessions(
                integrationId: query.get("integration_id"), externalId: query.get("external_id"),
                limit: try Self.limit(request), after: try Self.cursor(request))
            return JSONResponse(.object([
                ("sessions", .array(page.items.map(Views.session))), ("next_cursor", .optional(page.nextCursor?.encoded)),
            ]))
        }

        table.note("/v1/admin/sessions/:id", .get)
        group.get("sessions/:id") { request, context in
            JSONResponse(Views.session(try await session(request.parameter("id", context))))
        }

        table.note("/v1/admin/sessions/:id/messages", .get)
        group.get("sessions/:id/messages") { request, context in
            let session = try await session(request.parameter("id", context))
            let messages = try await service.database.messages(sessionId: session.id)
            return JSONResponse(.object([("messages", .array(messages.map(Views.message)))]))
        }

        table.note("/v1/admin/sessions/:id/deliveries", .get)
        group.get("sessions/:id/deliveries") { request, context in
            let session = try await session(request.parameter("id", context))
            let deliveries = try await service.database.deliveries(sessionId: session.id)
            return JSONResponse(.object([("deliveries", .array(deliveries.map(Views.delivery)))]))
        }

        table.note("/v1/admin/integrations/:id/users/:external_id", .delete)
        group.delete("integrations/:id/users/:external_id") { request, context in
            let counts = try await service.database.deleteUser(integrationId: request.parameter("id", context),
                                                              externalId: request.parameter("external_id", context))
            return JSONResponse(.object([("deleted_sessions", .int(counts.sessions)), ("deleted_messages", .int(counts.messages))]))
        }

        table.note("/v1/admin/events", .get)
        group.get("events") { request, _ in
            let query = request.uri.queryParameters
            let outcome = query.get("outcome")
            if let outcome, outcome != "accepted", outcome != "rejected" {
                throw Problem.invalidRequest("outcome must be accepted or rejected")
            }
            let page = try await service.database.events(
                integrationId: query.get("integration_id"), sessionId: query.get("session_id"), outcome: outcome,
                limit: try Self.limit(request), after: try Self.cursor(request))
            return JSONResponse(.object([("events", .array(page.items.map(Views.event))), ("next_cursor", .optional(page.nextCursor?.encoded))]))
        }

        table.note("/v1/admin/usage", .get)
        group.get("usage") { request, _ in
            let query = request.uri.queryParameters
            guard let id = query.get("integration_id"), !id.isEmpty else { throw Problem.invalidRequest("integration_id is required") }
            let month = query.get("month") ?? Timestamp.month(of: service.clock.now())
            guard Timestamp.monthBounds(month) != nil else { throw Problem.invalidRequest("month must be YYYY-MM") }
            _ = try await service.integration(id)
            let usage = try await service.database.usage(integrationId: id, month: month)
            return JSONResponse(.object([
                ("integration_id", .string(id)), ("month", .string(month)), ("active_users", .int(usage.activeUsers)),
                ("sessions", .int(usage.sessions)), ("messages", .int(usage.messages)),
            ]))
        }

        table.note("/v1/admin/reset", .post)
        group.post("reset") { request, _ in
            let scope = try await RequestBody.read(request).requiredFields().string("scope")
            guard let scope, scope == "sessions" || scope == "all" else { throw Problem.invalidRequest("scope must be \"sessions\" or \"all\"") }
            try await service.database.reset(all: scope == "all")
            service.keys.removeAll()
            return JSONResponse(.object([("scope", .string(scope)), ("reset", .bool(true))]))
        }
    }

    private func session(_ id: String) async throws -> SessionRecord {
        guard let session = try await service.database.session(id: id) else { throw StoreError.sessionNotFound(id) }
        return session
    }

    static func limit(_ request: Request) throws -> Int {
        guard let text = request.uri.queryParameters.get("limit") else { return defaultLimit }
        guard let limit = Int(text), (1...maxLimit).contains(limit) else {
            throw Problem.invalidRequest("limit must be an integer from 1 to \(maxLimit)")
        }
        return limit
    }

    static func cursor(_ request: Request) throws -> PageCursor? {
        guard let text = request.uri.queryParameters.get("cursor"), !text.isEmpty else { return nil }
        guard let cursor = PageCursor(encoded: text) else { throw Problem.invalidRequest("cursor is not one this API gave out") }
        return cursor
    }
}
