import HummingbirdTesting
import MoveoAuth
@testable import MoveoEmulator
import Testing

/// CONTRACT §9 through the router: the public layer, the locale, ending a session, the responses array, CORS.
@Suite("Web chat: context layers, locale, end")
struct ContextAPITests {
    /// A session on `demo` carrying the documentation's whole sample context; returns its id.
    static func sampleSession(_ client: any TestClientProtocol) async throws -> String {
        let created = try await client.createSession(try TestEmulator.token(context: DemoPage.sampleContext))
        return try #require(created.json["session_id"]?.stringValue)
    }

    @Test("the page cannot change a private value: applied nickname, ignored is_vip and email, journaled context_pinned, never echoed")
    func privateWins() async throws {
        try await TestEmulator.run { client in
            let id = try await Self.sampleSession(client)
            let update = try await client.call(.post, "/v1/webchat/sessions/\(id)/context",
                                               #"{"context":{"user":{"is_vip":false,"nickname":"Zed","email":"zed@example.com"}}}"#)
            #expect(update.status == .ok)
            #expect(update.raw == #"{"session_id":"\#(id)","applied":["/user/nickname"],"ignored":["/user/email","/user/is_vip"]}"#)
            #expect(update.headers[.accessControlAllowOrigin] == "*")
            let session = try await client.call(.get, "/v1/admin/sessions/\(id)", admin: true).json
            #expect(session["effective_context"]?["user"]?["is_vip"] == .bool(true))
            #expect(session["effective_context"]?["user"]?["email"] == .string(""))
            #expect(session["effective_context"]?["user"]?["nickname"] == .string("Zed"))
            #expect(session["effective_context"]?["user"]?["display_name"] == .string("Panagiotis Karagiannis"))
            #expect(session["public_context"] == .object([("user", .object([("nickname", .string("Zed"))]))]))
            #expect(session["variables"] == .object([]) && session["locale"] == .string("en") && session["ended_at"] == .null)
            #expect(session["context"]?["user"]?["is_vip"] == .bool(true), "context stays the private layer")
            let events = try await client.call(.get, "/v1/admin/events?session_id=\(id)&outcome=rejected", admin: true).json
            let pinned = try #require(events["events"]?.arrayValues.first)
            #expect(pinned["action"] == .string("context_update") && pinned["code"] == .string("context_pinned"))
            let detail = try #require(pinned["detail"]?.stringValue)
            #expect(detail.contains("/user/is_vip") && !detail.contains("false") && !detail.contains("zed@example.com"))

            // Nothing of the private context reaches a web chat answer, whatever the page writes.
            let message = try await client.message(id, "what do you know?")
            let again = try await client.call(.post, "/v1/webchat/sessions/\(id)/context", #"{"context":{"user":{"nickname":null},"page":"home"}}"#)
            #expect(again.raw == #"{"session_id":"\#(id)","applied":["/page","/user/nickname"],"ignored":[]}"#)
            for body in [update.raw, message.raw, again.raw] {
                for secret in ["Panagiotis", "123456789", "102324", "Paramus", "1234959595"] { #expect(!body.contains(secret)) }
            }
            let accepted = try await client.call(.get, "/v1/admin/events?session_id=\(id)&outcome=accepted", admin: true).json
            #expect(accepted["events"]?.arrayValues.first?["action"] == .string("context_update"))
        }
    }

    @Test("bad context updates: not an object, missing, over 65,536 bytes, too deep — invalid_request or context_too_large, nothing stored")
    func badUpdates() async throws {
        try await TestEmulator.run { client in
            let id = try await Self.sampleSession(client)
            let path = "/v1/webchat/sessions/\(id)/context"
            #expect(try await client.call(.post, path, #"{"context":[1]}"#).code == "invalid_request")
            #expect(try await client.call(.post, path, #"{"context":"x"}"#).code == "invalid_request")
            #expect(try await client.call(.post, path, #"{}"#).code == "invalid_request")
            #expect(try await client.call(.post, path, "").code == "invalid_request")
            let big = String(repeating: "x", count: 65_530)
            let tooLarge = try await client.call(.post, path, #"{"context":{"blob":"\#(big)"}}"#)
            #expect(tooLarge.status == .contentTooLarge && tooLarge.code == "context_too_large")
            let deep = String(repeating: #"{"a":"#, count: 64) + "1" + String(repeating: "}", count: 64)
            #expect(try await client.call(.post, path, #"{"context":\#(deep)}"#).code == "invalid_request")
            let session = try await client.call(.get, "/v1/admin/sessions/\(id)", admin: true).json
            #expect(session["public_context"] == .object([]))
            #expect(try await client.call(.post, "/v1/webchat/sessions/s_nope/context", #"{"context":{}}"#).code == "session_not_found")
        }
    }

    @Test("a token on a context call is checked as on messages: another sub is 403 subject_mismatch")
    func tokenOnContext() async throws {
        try await TestEmulator.run { client in
            let id = try await Self.sampleSession(client)
            let other = try TestEmulator.token(sub: "someone-else")
            let body = JSONWriter.string(.object([("context", .object([("a", .number("1"))])), ("identity_token", .string(other))]))
            let refused = try await client.call(.post, "/v1/webchat/sessions/\(id)/context", body)
            #expect(refused.status == .forbidden && refused.code == "subject_mismatch")
            let same = JSONWriter.string(.object([("context", .object([("a", .number("1"))])), ("identity_token", .string(try TestEmulator.token()))]))
            #expect(try await client.call(.post, "/v1/webchat/sessions/\(id)/context", same).json["applied"] == .array([.string("/a")]))
        }
    }

    @Test("locale: a BCP 47 tag of 2-35 [A-Za-z0-9-]; anything else is invalid_request; the admin session shows it")
    func locale() async throws {
        try await TestEmulator.run { client in
            let id = try await Self.sampleSession(client)
            let set = try await client.call(.put, "/v1/webchat/sessions/\(id)/locale", #"{"locale":"pt-BR"}"#)
            #expect(set.status == .ok && set.raw == #"{"session_id":"\#(id)","locale":"pt-BR"}"#)
            for bad in [#"{"locale":"e"}"#, #"{"locale":"en_US"}"#, #"{"locale":5}"#, "{}", #"{"locale":"\#(String(repeating: "a", count: 36))"}"#] {
                #expect(try await client.call(.put, "/v1/webchat/sessions/\(id)/locale", bad).code == "invalid_request", "\(bad)")
            }
            #expect(try await client.call(.get, "/v1/admin/sessions/\(id)", admin: true).json["locale"] == .string("pt-BR"))
        }
    }

    @Test("DELETE ends the session: 204, then messages, context and locale get 410 session_ended; the records stay with ended_at")
    func end() async throws {
        try await TestEmulator.run { client in
            let id = try await Self.sampleSession(client)
            #expect(try await client.message(id).status == .created)
            let ended = try await client.call(.delete, "/v1/webchat/sessions/\(id)")
            #expect(ended.status == .noContent && ended.headers[.accessControlAllowOrigin] == "*")
            let message = try await client.message(id)
            #expect(message.status == .gone && message.code == "session_ended")
            #expect(try await client.call(.post, "/v1/webchat/sessions/\(id)/context", #"{"context":{}}"#).code == "session_ended")
            #expect(try await client.call(.put, "/v1/webchat/sessions/\(id)/locale", #"{"locale":"el"}"#).code == "session_ended")
            #expect(try await client.call(.delete, "/v1/webchat/sessions/\(id)").status == .noContent, "ending twice changes nothing")
            let session = try await client.call(.get, "/v1/admin/sessions/\(id)", admin: true).json
            #expect(session["ended_at"] == .string(Timestamp.format(TestEmulator.now)) && session["message_count"] == .number("2"))
            #expect(try await client.call(.delete, "/v1/webchat/sessions/s_nope").code == "session_not_found")
        }
    }

    @Test("the message answer carries responses beside reply.text; preflights allow PUT and DELETE")
    func responsesAndPreflight() async throws {
        try await TestEmulator.run { client in
            let id = try await Self.sampleSession(client)
            let message = try await client.message(id, "hi").json
            let responses = try #require(message["responses"]?.arrayValues)
            #expect(responses.count == 1 && responses[0]["type"] == .string("text"))
            #expect(responses[0]["text"] == message["reply"]?["text"])
            let preflight = try await client.call(.options, "/v1/webchat/sessions/\(id)/locale")
            #expect(preflight.status == .noContent)
            #expect(preflight.headers[.accessControlAllowMethods] == "GET, POST, PUT, DELETE, OPTIONS")
            #expect(try await client.call(.get, "/v1/webchat/sessions/\(id)/context").code == "method_not_allowed")
        }
    }
}
