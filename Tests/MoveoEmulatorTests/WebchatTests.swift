import MoveoAuth
import MoveoEmulator
import Testing

/// CONTRACT §4 through the router.
@Suite("Web chat API")
struct WebchatTests {
    @Test("health and config")
    func healthAndConfig() async throws {
        try await TestEmulator.run { client in
            let health = try await client.call(.get, "/health")
            #expect(health.status == .ok && health.raw == #"{"status":"ok"}"#)
            let config = try await client.call(.get, "/v1/webchat/demo/config")
            #expect(config.raw == #"{"integration_id":"demo","name":"Demo","auth_required":true,"session_timeout":3600}"#)
            #expect(try await client.call(.get, "/v1/webchat/nope/config").code == "integration_not_found")
        }
    }

    @Test("a session with the documented context: 201, pinned for the admin, never in a web chat body")
    func sessionWithContext() async throws {
        try await TestEmulator.run { client in
            let token = try TestEmulator.token(context: TestEmulator.sampleContext)
            let created = try await client.createSession(token)
            #expect(created.status == .created)
            #expect(created.json["external_id"] == .string("user-1"))
            let id = try #require(created.json["session_id"]?.stringValue)
            #expect(id.utf8.count >= 22)
            let message = try await client.message(id, "what is my plan?")
            #expect(message.status == .created)
            for body in [created.raw, message.raw] {
                for secret in ["Panagiotis", "Karagiannis", "is_vip", "123456789", "1234959595", "credit_card", "context\":"] {
                    #expect(!body.contains(secret), "web chat body leaked \(secret)")
                }
            }
            let session = try await client.call(.get, "/v1/admin/sessions/\(id)", admin: true)
            #expect(session.json["context"]?["user"]?["is_vip"] == .bool(true))
            #expect(session.json["issuer"] == .string("acme") && session.json["message_count"] == .number("2"))
        }
    }

    @Test("the token may come in Authorization: Bearer with an empty body; \"\" and null count as absent")
    func bearerToken() async throws {
        try await TestEmulator.run { client in
            let token = try TestEmulator.token()
            let viaHeader = try await client.call(.post, "/v1/webchat/demo/sessions", headers: [.authorization: "Bearer \(token)"])
            #expect(viaHeader.status == .created)
            #expect(try await client.call(.post, "/v1/webchat/demo/sessions", #"{"identity_token":""}"#).code == "token_missing")
            #expect(try await client.call(.post, "/v1/webchat/demo/sessions", #"{"identity_token":null}"#).code == "token_missing")
            #expect(try await client.call(.post, "/v1/webchat/demo/sessions", #"{"identity_token":5}"#).code == "invalid_request")
            #expect(try await client.call(.post, "/v1/webchat/demo/sessions", "[1]").code == "invalid_request")
        }
    }

    @Test("token refusals carry their code, status, claim and hint, and are journaled")
    func refusals() async throws {
        try await TestEmulator.run { client in
            let far = try await client.createSession(try TestEmulator.token(ttl: 301))
            #expect(far.status == .unauthorized && far.code == "exp_too_far" && far.json["claim"] == .string("exp"))
            #expect(far.json["type"] == .string("urn:moveo-emulator:exp_too_far"))
            #expect(far.headers[.contentType] == "application/problem+json")
            let malformed = try await client.createSession("not.a.token")
            #expect(malformed.code == "token_malformed")
            let otherKey = try TokenSigner(signingKey: RSAPrivateKey(generatingBits: 2048), platformKey: TestEmulator.platformPublicKey)
            let unwrap = try await client.createSession(try otherKey.identityToken(issuer: "a", subject: "b", now: TestEmulator.now, ttl: 10))
            #expect(unwrap.code == "signature_invalid")
            var context = try TokenSigner.encryptContext(Array("{}".utf8), platformKey: try RSAPrivateKey(generatingBits: 2048).publicKey)
            context += [("iss", .string("a")), ("sub", .string("b")), ("exp", .number(String(Int(TestEmulator.now) + 5)))]
            let wrongPlatform = try await client.createSession(try TestEmulator.signer.sign(claims: context))
            #expect(wrongPlatform.status == .unprocessableContent && wrongPlatform.code == "context_key_unwrap_failed")
            #expect(wrongPlatform.json["hint"]?.stringValue?.isEmpty == false)
            let events = try await client.call(.get, "/v1/admin/events?outcome=rejected", admin: true)
            let codes = events.json["events"]?.arrayValues.compactMap { $0["code"]?.stringValue } ?? []
            #expect(Set(codes) == ["exp_too_far", "token_malformed", "signature_invalid", "context_key_unwrap_failed"])
            #expect(try await client.call(.get, "/v1/admin/sessions", admin: true).json["sessions"] == .array([]))
        }
    }

    @Test("auth_required refuses no token; without it a session is anonymous and a sent token is still verified")
    func anonymous() async throws {
        try await TestEmulator.run { client in
            #expect(try await client.createSession(nil).code == "token_missing")
            _ = try await client.call(.patch, "/v1/admin/integrations/demo", #"{"auth_required":false}"#, admin: true)
            let anonymous = try await client.createSession(nil)
            #expect(anonymous.status == .created && anonymous.json["external_id"] == .null)
            #expect(try await client.createSession(try TestEmulator.token(ttl: 0)).code == "token_expired")
            let id = anonymous.json["session_id"]!.stringValue!
            #expect(try await client.message(id).status == .created)
            let upgrade = try await client.message(id, token: try TestEmulator.token())
            #expect(upgrade.status == .forbidden && upgrade.code == "subject_mismatch")
        }
    }

    @Test("a message's token for another sub or iss is subject_mismatch")
    func subjectMismatch() async throws {
        try await TestEmulator.run { client in
            let id = try await client.createSession(try TestEmulator.token(sub: "alice")).json["session_id"]!.stringValue!
            #expect(try await client.message(id, token: try TestEmulator.token(sub: "mallory")).code == "subject_mismatch")
            #expect(try await client.message(id, token: try TestEmulator.token(sub: "alice", iss: "other")).code == "subject_mismatch")
            #expect(try await client.message(id, token: try TestEmulator.token(sub: "alice")).status == .created)
            #expect(try await client.message(id, token: "garbage").code == "token_malformed")
        }
    }

    @Test("a changed context is ignored and journaled; a token without context is not a change")
    func contextChangeIgnored() async throws {
        try await TestEmulator.run { client in
            let id = try await client.createSession(try TestEmulator.token(context: TestEmulator.sampleContext)).json["session_id"]!.stringValue!
            let changed = try JSONParser.parse(Array(#"{"user":{"is_vip":false}}"#.utf8))
            #expect(try await client.message(id, token: try TestEmulator.token(context: changed)).status == .created)
            #expect(try await client.message(id, token: try TestEmulator.token()).status == .created)
            let session = try await client.call(.get, "/v1/admin/sessions/\(id)", admin: true)
            #expect(session.json["context"]?["user"]?["is_vip"] == .bool(true))
            let events = try await client.call(.get, "/v1/admin/events?session_id=\(id)", admin: true).json["events"]?.arrayValues ?? []
            #expect(events.filter { $0["action"] == .string("context_change_ignored") }.count == 1)
        }
    }

    @Test("with --strict-pinning a changed context is 409 context_mismatch, also on a session pinned without one")
    func strictPinning() async throws {
        var configuration = TestEmulator.configuration()
        configuration.strictPinning = true
        try await TestEmulator.run(configuration) { client in
            let id = try await client.createSession(try TestEmulator.token()).json["session_id"]!.stringValue!
            let reply = try await client.message(id, token: try TestEmulator.token(context: TestEmulator.sampleContext))
            #expect(reply.status == .conflict && reply.code == "context_mismatch")
        }
    }

    @Test("idle exactly the timeout is alive; one second more is 410 session_expired (the clock moves, nobody sleeps)")
    func expiry() async throws {
        try await TestEmulator.run { client in
            _ = try await client.call(.patch, "/v1/admin/integrations/demo", #"{"session_timeout":60}"#, admin: true)
            let id = try await client.createSession(try TestEmulator.token()).json["session_id"]!.stringValue!
            _ = try await client.call(.put, "/v1/admin/clock", #"{"now":"\#(Timestamp.format(TestEmulator.now + 60))"}"#, admin: true)
            #expect(try await client.message(id).status == .created)
            _ = try await client.call(.put, "/v1/admin/clock", #"{"now":"\#(Timestamp.format(TestEmulator.now + 121))"}"#, admin: true)
            let expired = try await client.message(id)
            #expect(expired.status == .gone && expired.code == "session_expired")
            #expect(try await client.message(id, "").code == "session_expired")
        }
    }

    @Test("text is 1 to 4,096 Unicode scalars and required")
    func textLimits() async throws {
        try await TestEmulator.run { client in
            let id = try await client.createSession(try TestEmulator.token()).json["session_id"]!.stringValue!
            #expect(try await client.message(id, String(repeating: "é", count: 4096)).status == .created)
            #expect(try await client.message(id, String(repeating: "a", count: 4097)).code == "invalid_request")
            #expect(try await client.message(id, "").code == "invalid_request")
            #expect(try await client.message(id, "a\u{0}b").code == "invalid_request")
            #expect(try await client.call(.post, "/v1/webchat/sessions/\(id)/messages", "").code == "invalid_request")
            #expect(try await client.call(.post, "/v1/webchat/sessions/\(id)/messages", #"{"text":1}"#).code == "invalid_request")
            #expect(try await client.message("s_unknown").code == "session_not_found")
        }
    }
}

extension JSONValue {
    /// The elements of an array, or empty.
    var arrayValues: [JSONValue] {
        if case .array(let values) = self { return values }
        return []
    }
}
