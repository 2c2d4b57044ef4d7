import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MoveoAuth
@testable import MoveoEmulator
import NIOConcurrencyHelpers
import Testing

/// A real HTTP receiver on loopback that records deliveries and answers as its path says.
final class WebhookReceiver: Sendable {
    struct Delivery: Sendable {
        let headers: HTTPFields
        let body: [UInt8]
        var json: JSONValue { (try? JSONParser.parse(body)) ?? .null }
    }

    let deliveries = NIOLockedValueBox<[Delivery]>([])

    /// Runs the receiver on a free port while `body` runs with its base URL.
    func run(_ body: @Sendable (String) async throws -> Void) async throws {
        let router = Router()
        router.post("/hook/:mode") { request, context -> Response in
            var buffer = try await request.body.collect(upTo: 1 << 20)
            let bytes = buffer.readBytes(length: buffer.readableBytes) ?? []
            self.deliveries.withLockedValue { $0.append(Delivery(headers: request.headers, body: bytes)) }
            let payload = (try? JSONParser.parse(bytes)) ?? .null
            switch context.parameters.get("mode") ?? "" {
            case "json":
                let vip = payload["context"]?["user"]?["is_vip"] == .bool(true)
                let reply = #"{"responses":[{"type":"text","texts":["VIP: \#(vip)"]}],"context":{"seen":true}}"#
                return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: reply)))
            case "text":
                return Response(status: .ok, headers: [.contentType: "text/plain"], body: .init(byteBuffer: ByteBuffer(string: "Plain answer from your backend")))
            case "slow":
                try await Task.sleep(for: .seconds(3))
                return Response(status: .ok)
            case "malformed":
                return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: "{not json")))
            default:
                return Response(status: .internalServerError)
            }
        }
        let port = NIOLockedValueBox<Int?>(nil)
        let application = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                                      onServerRunning: { channel in port.withLockedValue { $0 = channel.localAddress?.port } })
        let server = Task { try await application.run() }
        defer { server.cancel() }
        for _ in 0..<400 where port.withLockedValue({ $0 }) == nil { try await Task.sleep(for: .milliseconds(10)) }
        try await body("http://127.0.0.1:\(try #require(port.withLockedValue { $0 }))")
    }

    /// Waits until `count` deliveries arrived (at most 10 s).
    func wait(for count: Int) async throws {
        for _ in 0..<1000 where deliveries.withLockedValue({ $0.count }) < count { try await Task.sleep(for: .milliseconds(10)) }
    }
}

@Suite("Webhooks")
struct WebhookTests {
    static func configuration() -> EmulatorConfiguration {
        var configuration = TestEmulator.configuration()
        configuration.webhookTimeout = 0.5
        return configuration
    }

    @Test("deliveries are signed with the secret, carry the pinned context and external_id, and the answer drives the reply")
    func signedDeliveryDrivesReply() async throws {
        let receiver = WebhookReceiver()
        try await receiver.run { hook in
            try await TestEmulator.run(Self.configuration()) { client in
                let patched = try await client.call(.patch, "/v1/admin/integrations/demo", #"{"webhook_url":"\#(hook)/hook/json"}"#, admin: true)
                let secret = try #require(patched.json["webhook"]?["secret"]?.stringValue)
                #expect(try await client.call(.get, "/v1/admin/integrations/demo", admin: true).json["webhook"]?["secret"] == nil, "shown once")

                let id = try #require(try await client.createSession(try TestEmulator.token(context: TestEmulator.sampleContext)).json["session_id"]?.stringValue)
                try await receiver.wait(for: 1)
                let message = try await client.message(id, "am I a VIP?")
                #expect(message.json["reply"]?["text"] == .string("VIP: true"))
                #expect(!message.raw.contains("Panagiotis") && !message.raw.contains("1234959595"))

                let received = receiver.deliveries.withLockedValue { $0 }
                #expect(received.count == 2)
                for delivery in received {
                    let signature = try #require(delivery.headers[HTTPField.Name("X-Moveo-Signature")!])
                    #expect(signature == Digest.hex(Digest.hmacSHA256(key: Array(secret.utf8), message: delivery.body)))
                    #expect(signature != Digest.hex(Digest.hmacSHA256(key: Array("wrong-secret".utf8), message: delivery.body)))
                    #expect(delivery.headers[HTTPField.Name("X-Moveo-Session-Id")!] == id)
                    #expect(delivery.headers[HTTPField.Name("X-Moveo-Request-Id")!]?.isEmpty == false)
                    #expect(delivery.json["context"]?["user"]?["is_vip"] == .bool(true))
                    #expect(delivery.json["context"]?["user"]?["display_name"] == .string("Panagiotis Karagiannis"))
                    #expect(delivery.json["context"]?["external_id"] == .string("user-1"))
                    #expect(delivery.json["channel"] == .string("web") && delivery.json["brain_id"] == .string("demo"))
                }
                #expect(received.map { $0.json["event"]?.stringValue ?? "" }.sorted() == ["message", "session_start"])
                #expect(received.last?.json["input"]?["text"] == .string("am I a VIP?"))

                let deliveries = try await client.call(.get, "/v1/admin/sessions/\(id)/deliveries", admin: true).json["deliveries"]?.arrayValues ?? []
                #expect(deliveries.count == 2)
                #expect(deliveries.allSatisfy { $0["signature_verified"] == .bool(true) && $0["status"] == .number("200") && $0["outcome"] == .string("ok") })
            }
        }
    }

    @Test("a receiver answering plain text replaces the assistant's reply")
    func plainText() async throws {
        let receiver = WebhookReceiver()
        try await receiver.run { hook in
            try await TestEmulator.run(Self.configuration()) { client in
                _ = try await client.call(.patch, "/v1/admin/integrations/demo", #"{"webhook_url":"\#(hook)/hook/text"}"#, admin: true)
                let id = try #require(try await client.createSession(try TestEmulator.token()).json["session_id"]?.stringValue)
                #expect(try await client.message(id).json["reply"]?["text"] == .string("Plain answer from your backend"))
            }
        }
    }

    @Test("a slow, failing or malformed webhook gives a fallback reply and a webhook_failed event; the message is still stored", arguments: [
        ("slow", "did not answer within"), ("fail", "HTTP 500"), ("malformed", "not a JSON object"),
    ])
    func failures(mode: String, reason: String) async throws {
        let receiver = WebhookReceiver()
        try await receiver.run { hook in
            try await TestEmulator.run(Self.configuration()) { client in
                _ = try await client.call(.patch, "/v1/admin/integrations/demo", #"{"webhook_url":"\#(hook)/hook/\#(mode)"}"#, admin: true)
                let id = try #require(try await client.createSession(try TestEmulator.token(context: TestEmulator.sampleContext)).json["session_id"]?.stringValue)
                let message = try await client.message(id)
                #expect(message.status == .created)
                #expect(message.json["reply"]?["text"]?.stringValue?.contains("webhook failed") == true)
                #expect(message.json["reply"]?["text"]?.stringValue?.contains(reason) == true)
                #expect(try await client.call(.get, "/v1/admin/sessions/\(id)", admin: true).json["message_count"] == .number("2"))
                let events = try await client.call(.get, "/v1/admin/events?session_id=\(id)", admin: true).json["events"]?.arrayValues ?? []
                #expect(events.contains { $0["action"] == .string("webhook_failed") && $0["detail"]?.stringValue?.contains(reason) == true })
                let deliveries = try await client.call(.get, "/v1/admin/sessions/\(id)/deliveries", admin: true).json["deliveries"]?.arrayValues ?? []
                #expect(deliveries.contains { $0["outcome"] == .string("failed") && $0["event"] == .string("message") })
            }
        }
    }

    @Test("webhook settings: bad URLs refused, rotation shows the new secret once, null removes the webhook")
    func settings() async throws {
        try await TestEmulator.run(Self.configuration()) { client in
            #expect(try await client.call(.patch, "/v1/admin/integrations/demo", #"{"webhook_url":"ftp://x"}"#, admin: true).code == "invalid_request")
            #expect(try await client.call(.post, "/v1/admin/integrations/demo/webhook/rotate-secret", admin: true).code == "invalid_request")
            let set = try await client.call(.patch, "/v1/admin/integrations/demo", #"{"webhook_url":"http://127.0.0.1:9/x","webhook_secret":"my-secret-123"}"#, admin: true)
            #expect(set.json["webhook"]?["secret"] == .string("my-secret-123"))
            let rotated = try await client.call(.post, "/v1/admin/integrations/demo/webhook/rotate-secret", admin: true)
            let secret = try #require(rotated.json["webhook"]?["secret"]?.stringValue)
            #expect(secret.hasPrefix("whsec_") && secret != "my-secret-123")
            let created = try await client.call(.post, "/v1/admin/integrations", #"{"name":"W","webhook_url":"https://example.invalid/hook"}"#, admin: true)
            #expect(created.json["webhook"]?["secret"]?.stringValue?.hasPrefix("whsec_") == true)
            let removed = try await client.call(.patch, "/v1/admin/integrations/demo", #"{"webhook_url":null}"#, admin: true)
            #expect(removed.json["webhook"] == .null)
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
