import HummingbirdTesting
import MoveoAuth
import MoveoEmulator
import Testing

/// CONTRACT §2 and §8: not found, method not allowed, admin token, body size, CORS — and their order.
@Suite("Routing, errors and CORS")
struct RoutingTests {
    @Test("unknown routes are not_found, known routes with another method are method_not_allowed — before the admin token")
    func routeThenMethodThenToken() async throws {
        try await TestEmulator.run { client in
            #expect(try await client.call(.get, "/nope").code == "not_found")
            #expect(try await client.call(.get, "/v1/admin/nope").code == "not_found")
            let wrongMethod = try await client.call(.get, "/v1/webchat/demo/sessions")
            #expect(wrongMethod.status == .methodNotAllowed && wrongMethod.code == "method_not_allowed")
            #expect(try await client.call(.delete, "/v1/admin/clock/x").code == "not_found")
            #expect(try await client.call(.post, "/v1/admin/sessions").code == "method_not_allowed")
            #expect(try await client.call(.options, "/v1/admin/integrations").code == "method_not_allowed")
            let noToken = try await client.call(.get, "/v1/admin/integrations")
            #expect(noToken.status == .unauthorized && noToken.code == "unauthorized")
            let wrongToken = try await client.call(.get, "/v1/admin/integrations", headers: [.authorization: "Bearer test-admin-tokeN"])
            #expect(wrongToken.code == "unauthorized")
            #expect(try await client.call(.get, "/v1/admin/integrations", admin: true).status == .ok)
        }
    }

    @Test("an integration whose id is `sessions` is reachable despite the messages route's literal segment")
    func integrationNamedSessions() async throws {
        try await TestEmulator.run { client in
            let created = try await client.call(.post, "/v1/admin/integrations", #"{"name":"S","integration_id":"sessions"}"#, admin: true)
            #expect(created.status == .created)
            let config = try await client.call(.get, "/v1/webchat/sessions/config")
            #expect(config.status == .ok && config.json["integration_id"] == .string("sessions"))
            let session = try await client.call(.post, "/v1/webchat/sessions/sessions", "{}")
            #expect(session.status == .created && session.json["integration_id"] == .string("sessions"))
            let id = try #require(session.json["session_id"]?.stringValue)
            let message = try await client.call(.post, "/v1/webchat/sessions/\(id)/messages", #"{"text":"hi"}"#)
            #expect(message.status == .created)
            #expect(try await client.call(.get, "/v1/webchat/sessions/sessions").code == "method_not_allowed")
        }
    }

    @Test("the admin token comes before the body size and the ids")
    func tokenBeforeBodyAndIds() async throws {
        try await TestEmulator.run { client in
            let huge = String(repeating: "x", count: RequestBody.maxBytes + 1)
            let noToken = try await client.call(.post, "/v1/admin/integrations/nope/verify", huge)
            let tooLarge = try await client.call(.post, "/v1/admin/integrations/nope/verify", huge, admin: true)
            let unknown = try await client.call(.post, "/v1/admin/integrations/nope/verify", "not json", admin: true)
            #expect(noToken.code == "unauthorized" && tooLarge.code == "payload_too_large" && unknown.code == "integration_not_found")
        }
    }

    @Test("a body over 1 MiB is payload_too_large before the ids; exactly 1 MiB is accepted")
    func bodyLimit() async throws {
        try await TestEmulator.run { client in
            let over = String(repeating: " ", count: RequestBody.maxBytes + 1)
            let refused = try await client.call(.post, "/v1/webchat/unknown/sessions", over)
            #expect(refused.status == .contentTooLarge && refused.code == "payload_too_large")
            let token = try TestEmulator.token()
            let prefix = #"{"identity_token":"\#(token)","pad":""#
            let exact = prefix + String(repeating: "p", count: RequestBody.maxBytes - prefix.utf8.count - 2) + #""}"#
            #expect(exact.utf8.count == RequestBody.maxBytes)
            #expect(try await client.call(.post, "/v1/webchat/demo/sessions", exact).status == .created)
        }
    }

    @Test("web chat answers carry CORS for any origin, errors included; preflight is 204; the admin API sends none")
    func cors() async throws {
        try await TestEmulator.run { client in
            for reply in [try await client.call(.get, "/health"), try await client.createSession(nil), try await client.call(.get, "/v1/webchat/x/config")] {
                #expect(reply.headers[.accessControlAllowOrigin] == "*")
            }
            let preflight = try await client.call(.options, "/v1/webchat/demo/sessions", headers: [.origin: "http://localhost:3000"])
            #expect(preflight.status == .noContent)
            #expect(preflight.headers[.accessControlAllowMethods] == "GET, POST, PUT, DELETE, OPTIONS")
            #expect(preflight.headers[.accessControlAllowHeaders] == "Authorization, Content-Type")
            let admin = try await client.call(.get, "/v1/admin/integrations", admin: true)
            #expect(admin.headers[.accessControlAllowOrigin] == nil)
        }
    }

    @Test("a token over 262,144 characters is 413 token_too_large")
    func tokenTooLarge() async throws {
        try await TestEmulator.run { client in
            let reply = try await client.createSession(String(repeating: "a", count: 262_145))
            #expect(reply.status == .contentTooLarge && reply.code == "token_too_large")
        }
    }
}
