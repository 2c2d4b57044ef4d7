import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MoveoAuth
@testable import MoveoEmulator
import NIOConcurrencyHelpers
import Testing

/// A real HTTP receiver on loopback that records calls and answers as its path says.
final class WebhookReceiver: Sendable {
    struct Delivery: Sendable {
        let path: String
        let headers: HTTPFields
        let body: [UInt8]
        var json: JSONValue { (try? JSONParser.parse(body)) ?? .null }
        var mode: String { String(path.split(separator: "/").last ?? "") }
    }

    let deliveries = NIOLockedValueBox<[Delivery]>([])
    /// Set when the test is done: a `slow` call stops waiting and the server can stop at once.
    let released = NIOLockedValueBox(false)

    static func json(_ text: String) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// The answer for a mode: each is one behaviour of a customer's webhook.
    func answer(_ mode: String, _ payload: JSONValue) async throws -> Response {
        switch mode {
        case "json":
            let vip = payload["context"]?["user"]?["is_vip"] == .bool(true)
            return Self.json(#"{"responses":[{"type":"text","texts":["VIP: \#(vip)"]}]}"#)
        case "text":
            return Response(status: .ok, headers: [.contentType: "text/plain"], body: .init(byteBuffer: ByteBuffer(string: "Plain answer from your backend")))
        case "slow":
            // Reliably slower than the 0.5 s timeout under test, however loaded the machine: it waits until the test is over.
            while !released.withLockedValue({ $0 }) { try await Task.sleep(for: .milliseconds(20)) }
            return Response(status: .ok)
        case "malformed":
            return Self.json("{not json")
        case "output-array":
            return Self.json(#"{"output":[1]}"#)
        case "responses-object":
            return Self.json(#"{"responses":{"type":"text"}}"#)
        case "huge":
            return Response(status: .ok, headers: [.contentType: "application/json"],
                            body: .init(byteBuffer: ByteBuffer(repeating: UInt8(ascii: " "), count: 10 << 20)))
        case "empty":
            return Response(status: .ok)
        case "set-vars":
            // A pre_message webhook: sets variables, and tries to change the private is_vip.
            return Self.json(#"{"output":{"plan":"gold","visits":\#(payload["context"]?["sys-user_message_counter"].map(JSONWriter.string) ?? "0"),"user":{"is_vip":false,"tier":2}}}"#)
        case "read-vars":
            // A dialog webhook: answers with what the variables and the private context say, and quick replies.
            let plan = payload["context"]?["plan"]?.stringValue ?? "none"
            let vip = payload["context"]?["user"]?["is_vip"].map(JSONWriter.string) ?? "none"
            let visits = payload["context"]?["visits"].map(JSONWriter.string) ?? "none"
            return Self.json(#"{"responses":[{"type":"text","texts":["plan \#(plan), vip \#(vip), visits \#(visits)","unused second text"],"options":[{"label":"Yes please","text":"yes"},{"label":"No","text":"no"}]},{"type":"url","url":"https://example.com/help","title":"Help"}]}"#)
        case "first":
            return Self.json(#"{"output":{"greeted":true},"responses":[{"type":"text","texts":["Welcome!"]}]}"#)
        case "post":
            return Self.json(#"{"responses":[{"type":"text","texts":["recorded, not shown"]}],"output":{"post_seen":true}}"#)
        default:
            return Response(status: .internalServerError)
        }
    }

    /// Runs the receiver on a free port while `body` runs with its base URL.
    func run(_ body: @Sendable (String) async throws -> Void) async throws {
        let router = Router()
        router.post("/hook/:mode") { request, context -> Response in
            var buffer = try await request.body.collect(upTo: 1 << 20)
            let bytes = buffer.readBytes(length: buffer.readableBytes) ?? []
            self.deliveries.withLockedValue { $0.append(Delivery(path: request.uri.path, headers: request.headers, body: bytes)) }
            return try await self.answer(context.parameters.get("mode") ?? "", (try? JSONParser.parse(bytes)) ?? .null)
        }
        try await Loopback.serve(router, released: released, body)
    }
}

@Suite("Webhooks")
struct WebhookTests {
    /// Webhooks get all the time a loaded machine may need; only the timeout test shortens it.
    static func configuration(timeout: Double = 30) -> EmulatorConfiguration {
        var configuration = TestEmulator.configuration()
        configuration.webhookTimeout = timeout
        configuration.accountSlug = "acme-sandbox"
        return configuration
    }

    static func header(_ delivery: WebhookReceiver.Delivery, _ name: String) -> String? { delivery.headers[HTTPField.Name(name)!] }

    /// Moveo's own verification helper: lowercase hex HMAC-SHA256 of the raw body string, keyed with the token.
    static func moveoHelperAccepts(_ delivery: WebhookReceiver.Delivery, token: String) -> Bool {
        let expected = Digest.hex(Digest.hmacSHA256(key: Array(token.utf8), message: Array(String(decoding: delivery.body, as: UTF8.self).utf8)))
        return header(delivery, "X-Moveo-Signature") == expected
    }

    /// Adds a webhook to `demo` and returns its verification token.
    static func addWebhook(_ client: any TestClientProtocol, _ body: String) async throws -> String {
        let created = try await client.call(.post, "/v1/admin/integrations/demo/webhooks", body, admin: true)
        #expect(created.status == .created, "\(created.raw)")
        return try #require(created.json["verification_token"]?.stringValue)
    }

    @Test("v3 webhook_url is the dialog webhook 'default': signed calls with the effective context, the account headers, the answer drives the reply")
    func legacyDialogWebhook() async throws {
        let receiver = WebhookReceiver()
        try await receiver.run { hook in
            try await TestEmulator.run(Self.configuration()) { client in
                let patched = try await client.call(.patch, "/v1/admin/integrations/demo", #"{"webhook_url":"\#(hook)/hook/json"}"#, admin: true)
                let secret = try #require(patched.json["webhook"]?["secret"]?.stringValue)
                let integration = try await client.call(.get, "/v1/admin/integrations/demo", admin: true).json
                #expect(integration["webhook"]?["secret"] == nil, "shown once")
                let listed = try #require(integration["webhooks"]?.arrayValues.first)
                #expect(listed["name"] == .string("default") && listed["type"] == .string("dialog") && listed["verification_token_set"] == .bool(true))
                #expect(listed["verification_token"] == nil)
                let account = try await client.call(.get, "/v1/admin/account", admin: true).json
                let accountId = try #require(account["account_id"]?.stringValue)
                #expect(accountId.count == 36 && account["account_slug"] == .string("acme-sandbox"))

                let id = try #require(try await client.createSession(try TestEmulator.token(context: TestEmulator.sampleContext)).json["session_id"]?.stringValue)
                #expect(receiver.deliveries.withLockedValue { $0.count } == 0, "no session_start call: Moveo has none")
                let message = try await client.message(id, "am I a VIP?")
                #expect(message.json["reply"]?["text"] == .string("VIP: true"))
                #expect(message.json["responses"] == .array([.object([("type", .string("text")), ("text", .string("VIP: true"))])]))
                #expect(!message.raw.contains("Panagiotis") && !message.raw.contains("1234959595"))

                let delivery = try #require(receiver.deliveries.withLockedValue { $0 }.first)
                #expect(Self.moveoHelperAccepts(delivery, token: secret))
                #expect(!Self.moveoHelperAccepts(delivery, token: "wrong-secret"))
                #expect(Self.header(delivery, "X-Moveo-Session-Id") == id)
                #expect(Self.header(delivery, "X-Moveo-Request-Id")?.isEmpty == false)
                #expect(Self.header(delivery, "X-Moveo-Account-Id") == accountId)
                #expect(Self.header(delivery, "X-Moveo-Account-Slug") == "acme-sandbox")
                #expect(Self.header(delivery, "Content-Type") == "application/json")
                let body = delivery.json
                #expect(body["context"]?["user"]?["is_vip"] == .bool(true))
                #expect(body["context"]?["external_id"] == .string("user-1") && body["context"]?["sys-unknown_counter"] == .number("0"))
                #expect(body["context"]?["sys-user_message_counter"] == .number("1") && body["context"]?["sys-channel"] == .string("web"))
                #expect(body["channel"] == .string("web") && body["brain_id"] == .string("demo") && body["lang"] == .string("en"))
                #expect(body["input"]?["text"] == .string("am I a VIP?") && body["event"] == nil && body["output"] == nil)
                #expect(body["intents"] == .array([]) && body["entities"] == .array([]) && body["tags"] == .array([]))

                let deliveries = try await client.call(.get, "/v1/admin/sessions/\(id)/deliveries", admin: true).json["deliveries"]?.arrayValues ?? []
                #expect(deliveries.count == 1)
                #expect(deliveries.first?["type"] == .string("dialog") && deliveries.first?["webhook_id"] == listed["webhook_id"])
                #expect(deliveries.allSatisfy { $0["signature_verified"] == .bool(true) && $0["status"] == .number("200") && $0["outcome"] == .string("ok") })
            }
        }
    }

    @Test("the four types fire as §10 says: first_message on the first message only, pre_message on the later ones, dialog, then post_message with the responses")
    func firingOrder() async throws {
        let receiver = WebhookReceiver()
        try await receiver.run { hook in
            try await TestEmulator.run(Self.configuration()) { client in
                var tokens: [String: String] = [:]
                tokens["post"] = try await Self.addWebhook(client, #"{"name":"after","type":"post_message","url":"\#(hook)/hook/post"}"#)
                tokens["set-vars"] = try await Self.addWebhook(client, #"{"name":"before","type":"pre_message","url":"\#(hook)/hook/set-vars"}"#)
                tokens["first"] = try await Self.addWebhook(client, #"{"name":"hello","type":"first_message","url":"\#(hook)/hook/first"}"#)
                tokens["read-vars"] = try await Self.addWebhook(client,
                    #"{"name":"brain","type":"dialog","url":"\#(hook)/hook/read-vars","custom_headers":{"Authorization":"Bearer abc","X-Team":"payments"}}"#)
                let id = try #require(try await client.createSession(try TestEmulator.token(context: DemoPage.sampleContext)).json["session_id"]?.stringValue)

                let first = try await client.message(id, "hi").json
                #expect(receiver.deliveries.withLockedValue { $0.map(\.mode) } == ["first", "read-vars", "post"])
                #expect(first["reply"]?["text"] == .string("Welcome!\nplan none, vip true, visits none"))
                let responses = try #require(first["responses"]?.arrayValues)
                #expect(responses.count == 3)
                #expect(responses[1]["options"]?.arrayValues.first?["text"] == .string("yes"))
                #expect(responses[1]["text"] == .string("plan none, vip true, visits none") && responses[1]["texts"] == nil)
                #expect(responses[2] == .object([("type", .string("url")), ("url", .string("https://example.com/help")), ("title", .string("Help"))]))
                let post = try #require(receiver.deliveries.withLockedValue { $0 }.last)
                #expect(post.json["output"]?["responses"] == first["responses"], "post_message sees what the assistant answered")
                #expect(post.json["context"]?["greeted"] == .bool(true), "post_message sees the variables of the calls before it")
                let shown = first["reply"]?["text"]?.stringValue ?? ""
                #expect(shown.contains("recorded") == false, "post_message responses are not shown")

                let second = try await client.message(id, "and now?").json
                let modes = receiver.deliveries.withLockedValue { $0.map(\.mode) }
                #expect(Array(modes.dropFirst(3)) == ["set-vars", "read-vars", "post"], "pre_message from the second message on; first_message once")
                // pre_message's output is visible to the dialog call of the same message; the private is_vip still wins.
                #expect(second["reply"]?["text"] == .string("plan gold, vip true, visits 2"))
                let third = try await client.message(id, "again").json
                #expect(third["reply"]?["text"] == .string("plan gold, vip true, visits 3"))

                for delivery in receiver.deliveries.withLockedValue({ $0 }) {
                    #expect(Self.moveoHelperAccepts(delivery, token: tokens[delivery.mode]!), "\(delivery.mode)")
                    for name in ["X-Moveo-Signature", "X-Moveo-Request-Id", "X-Moveo-Session-Id", "X-Moveo-Account-Id", "X-Moveo-Account-Slug"] {
                        #expect(Self.header(delivery, name)?.isEmpty == false, "\(delivery.mode) lacks \(name)")
                    }
                }
                let dialog = try #require(receiver.deliveries.withLockedValue { $0 }.first { $0.mode == "read-vars" })
                #expect(Self.header(dialog, "Authorization") == "Bearer abc" && Self.header(dialog, "X-Team") == "payments")
                let names = dialog.headers.map(\.name.rawName)
                #expect(names.firstIndex(of: "X-Team")! > names.firstIndex(of: "X-Moveo-Account-Slug")!, "custom headers come after ours")

                let session = try await client.call(.get, "/v1/admin/sessions/\(id)", admin: true).json
                #expect(session["variables"]?["plan"] == .string("gold") && session["variables"]?["user"]?["tier"] == .number("2"))
                #expect(session["variables"]?["user"]?["is_vip"] == nil, "an output over a private value is stored nowhere")
                #expect(session["effective_context"]?["user"]?["is_vip"] == .bool(true) && session["effective_context"]?["post_seen"] == .bool(true))
                let deliveries = try await client.call(.get, "/v1/admin/sessions/\(id)/deliveries", admin: true).json["deliveries"]?.arrayValues ?? []
                #expect(deliveries.map { $0["type"]?.stringValue ?? "" } == ["first_message", "dialog", "post_message", "pre_message", "dialog",
                                                                             "post_message", "pre_message", "dialog", "post_message"])
                let pre = try #require(deliveries.first { $0["type"] == .string("pre_message") })
                #expect(pre["ignored"] == .array([.string("/user/is_vip")]))
                #expect(deliveries.last?["responses"]?.arrayValues.first?["text"] == .string("recorded, not shown"))
                let pinned = try await client.call(.get, "/v1/admin/events?session_id=\(id)&outcome=rejected", admin: true).json["events"]?.arrayValues ?? []
                #expect(pinned.contains { $0["code"] == .string("context_pinned") && $0["detail"]?.stringValue?.contains("/user/is_vip") == true })
            }
        }
    }

    @Test("without first_message the first message calls pre_message; a receiver answering plain text is one text response; an empty body lets the stand-in answer")
    func preOnFirstAndPlainText() async throws {
        let receiver = WebhookReceiver()
        try await receiver.run { hook in
            try await TestEmulator.run(Self.configuration()) { client in
                _ = try await Self.addWebhook(client, #"{"name":"p","type":"pre_message","url":"\#(hook)/hook/empty"}"#)
                _ = try await Self.addWebhook(client, #"{"name":"d","type":"dialog","url":"\#(hook)/hook/text"}"#)
                let id = try #require(try await client.createSession(try TestEmulator.token()).json["session_id"]?.stringValue)
                #expect(try await client.message(id).json["reply"]?["text"] == .string("Plain answer from your backend"))
                #expect(receiver.deliveries.withLockedValue { $0.map(\.mode) } == ["empty", "text"])
                _ = try await client.call(.patch, "/v1/admin/integrations/demo", #"{"webhook_url":"\#(hook)/hook/empty"}"#, admin: true)
                let list = try await client.call(.get, "/v1/admin/integrations/demo/webhooks", admin: true).json["webhooks"]?.arrayValues ?? []
                let dialog = try #require(list.first { $0["name"] == .string("d") }?["webhook_id"]?.stringValue)
                #expect(try await client.call(.delete, "/v1/admin/integrations/demo/webhooks/\(dialog)", admin: true).status == .noContent)
                #expect(try await client.message(id, "x").json["reply"]?["text"]?.stringValue?.hasPrefix("Echo: x") == true)
            }
        }
    }

    @Test("a failing webhook: webhook_failed with the reason, the message stored; a failed dialog gives the fallback reply", arguments: [
        ("fail", "HTTP 500"), ("malformed", "not a JSON object"), ("output-array", "output is a JSON array, not an object"),
        ("responses-object", "responses is a JSON object, not an array"), ("huge", "over 1 MiB"),
    ])
    func failures(mode: String, reason: String) async throws {
        let receiver = WebhookReceiver()
        try await receiver.run { hook in
            try await TestEmulator.run(Self.configuration()) { client in
                try await Self.failure(client, hook: hook, mode: mode, reason: reason)
            }
        }
    }

    @Test("a webhook that never answers fails after --webhook-timeout with the timeout as its reason")
    func timeout() async throws {
        let receiver = WebhookReceiver()
        try await receiver.run { hook in
            try await TestEmulator.run(Self.configuration(timeout: 0.5)) { client in
                try await Self.failure(client, hook: hook, mode: "slow", reason: "did not answer within 0.5 s")
            }
        }
    }

    static func failure(_ client: any TestClientProtocol, hook: String, mode: String, reason: String) async throws {
        _ = try await client.call(.patch, "/v1/admin/integrations/demo", #"{"webhook_url":"\#(hook)/hook/\#(mode)"}"#, admin: true)
        _ = try await Self.addWebhook(client, #"{"name":"pre","type":"pre_message","url":"\#(hook)/hook/\#(mode)"}"#)
        let id = try #require(try await client.createSession(try TestEmulator.token(context: TestEmulator.sampleContext)).json["session_id"]?.stringValue)
        let message = try await client.message(id)
        #expect(message.status == .created)
        let reply = message.json["reply"]?["text"]?.stringValue ?? ""
        #expect(reply.hasPrefix("Sorry, the assistant is unavailable right now (webhook failed:") && reply.contains(reason), "\(reply)")
        #expect(try await client.call(.get, "/v1/admin/sessions/\(id)", admin: true).json["message_count"] == .number("2"))
        let events = try await client.call(.get, "/v1/admin/events?session_id=\(id)", admin: true).json["events"]?.arrayValues ?? []
        #expect(events.filter { $0["action"] == .string("webhook_failed") && $0["detail"]?.stringValue?.contains(reason) == true }.count == 2)
        let deliveries = try await client.call(.get, "/v1/admin/sessions/\(id)/deliveries", admin: true).json["deliveries"]?.arrayValues ?? []
        #expect(deliveries.count == 2 && deliveries.allSatisfy { $0["outcome"] == .string("failed") && $0["error"]?.stringValue?.contains(reason) == true })
    }

    @Test("webhook settings refused with the exact code, nothing stored: bad headers, an 11th, a second pre_message, a taken name, a bad URL")
    func badSettings() async throws {
        try await TestEmulator.run(Self.configuration()) { client in
            let path = "/v1/admin/integrations/demo/webhooks"
            let eleven = (1...11).map { #""X-H\#($0)":"v""# }.joined(separator: ",")
            let invalid = [
                #"{"name":"a","type":"dialog","url":"ftp://x"}"#, #"{"name":"a","type":"dialog"}"#, #"{"name":"a","type":"session_start","url":"http://h/x"}"#,
                #"{"name":"a","type":"dialog","url":"http://h/x","custom_headers":{"Host":"x"}}"#,
                #"{"name":"a","type":"dialog","url":"http://h/x","custom_headers":{"x-moveo-signature":"x"}}"#,
                #"{"name":"a","type":"dialog","url":"http://h/x","custom_headers":{"Bad Name":"x"}}"#,
                #"{"name":"a","type":"dialog","url":"http://h/x","custom_headers":{"X-A":"line\r\nInjected: 1"}}"#,
                #"{"name":"a","type":"dialog","url":"http://h/x","custom_headers":{"X-A":5}}"#,
                #"{"name":"a","type":"dialog","url":"http://h/x","custom_headers":{\#(eleven)}}"#,
                #"{"name":"a","type":"dialog","url":"http://h/x","verification_token":"short"}"#,
            ]
            for body in invalid {
                let refused = try await client.call(.post, path, body, admin: true)
                #expect(refused.status == .badRequest && refused.code == "invalid_request", "\(body) → \(refused.raw)")
            }
            _ = try await Self.addWebhook(client, #"{"name":"p","type":"pre_message","url":"http://127.0.0.1:9/p"}"#)
            let second = try await client.call(.post, path, #"{"name":"q","type":"pre_message","url":"http://127.0.0.1:9/q"}"#, admin: true)
            #expect(second.status == .conflict && second.code == "webhook_exists")
            let taken = try await client.call(.post, path, #"{"name":"p","type":"dialog","url":"http://127.0.0.1:9/q"}"#, admin: true)
            #expect(taken.status == .conflict && taken.code == "webhook_exists")
            let list = try await client.call(.get, path, admin: true).json["webhooks"]?.arrayValues ?? []
            #expect(list.count == 1)
            let id = try #require(list.first?["webhook_id"]?.stringValue)
            #expect(try await client.call(.patch, "\(path)/\(id)", #"{"type":"dialog"}"#, admin: true).code == "invalid_request")
            #expect(try await client.call(.patch, "\(path)/wh_nope", #"{"name":"x"}"#, admin: true).code == "webhook_not_found")
            let patched = try await client.call(.patch, "\(path)/\(id)", #"{"custom_headers":{"X-Env":"ci"},"url":"https://example.com/p"}"#, admin: true)
            #expect(patched.json["custom_headers"] == .object([("X-Env", .string("ci"))]) && patched.json["url"] == .string("https://example.com/p"))
            let rotated = try await client.call(.post, "\(path)/\(id)/rotate-token", admin: true)
            #expect(rotated.json["verification_token"]?.stringValue?.hasPrefix("whsec_") == true)
            for index in 0..<19 { _ = try await Self.addWebhook(client, #"{"name":"d\#(index)","type":"dialog","url":"http://127.0.0.1:9/d"}"#) }
            let twentyFirst = try await client.call(.post, path, #"{"name":"d99","type":"dialog","url":"http://127.0.0.1:9/d"}"#, admin: true)
            #expect(twentyFirst.code == "webhook_exists")
        }
    }

    @Test("v3 settings: bad URLs refused, rotation shows the new secret once, null removes the default webhook")
    func settings() async throws {
        try await TestEmulator.run(Self.configuration()) { client in
            #expect(try await client.call(.patch, "/v1/admin/integrations/demo", #"{"webhook_url":"ftp://x"}"#, admin: true).code == "invalid_request")
            // No webhook_url, so no dialog webhook `default` whose secret could rotate.
            let none = try await client.call(.post, "/v1/admin/integrations/demo/webhook/rotate-secret", admin: true)
            #expect(none.status == .notFound && none.code == "webhook_not_found")
            #expect(try await client.call(.patch, "/v1/admin/integrations/demo", #"{"webhook_secret":"my-secret-123"}"#, admin: true).code == "webhook_not_found")
            let set = try await client.call(.patch, "/v1/admin/integrations/demo", #"{"webhook_url":"http://127.0.0.1:9/x","webhook_secret":"my-secret-123"}"#, admin: true)
            #expect(set.json["webhook"]?["secret"] == .string("my-secret-123"))
            let rotated = try await client.call(.post, "/v1/admin/integrations/demo/webhook/rotate-secret", admin: true)
            let secret = try #require(rotated.json["webhook"]?["secret"]?.stringValue)
            #expect(secret.hasPrefix("whsec_") && secret != "my-secret-123")
            let created = try await client.call(.post, "/v1/admin/integrations", #"{"name":"W","webhook_url":"https://example.invalid/hook"}"#, admin: true)
            #expect(created.json["webhook"]?["secret"]?.stringValue?.hasPrefix("whsec_") == true)
            let removed = try await client.call(.patch, "/v1/admin/integrations/demo", #"{"webhook_url":null}"#, admin: true)
            #expect(removed.json["webhook"] == .null && removed.json["webhooks"] == .array([]))
        }
    }

    @Test("the signature helper agrees with an independent HMAC-SHA256 (RFC 4231 test case 2)")
    func hmacVector() {
        let mac = Digest.hex(Digest.hmacSHA256(key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8)))
        #expect(mac == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        #expect(WebhookPayload.verify(body: Array("{}".utf8), secret: "s3cret-value", signature: WebhookPayload.signature(body: "{}", secret: "s3cret-value")))
        #expect(!WebhookPayload.verify(body: Array("{}".utf8), secret: "other-value", signature: WebhookPayload.signature(body: "{}", secret: "s3cret-value")))
    }
}
