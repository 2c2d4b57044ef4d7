import AsyncHTTPClient
import Foundation
import MoveoAuth
import NIOCore
import NIOHTTP1

/// Sends one signed delivery and reads the answer into a reply, or says why it failed.
struct WebhookClient: Sendable {
    /// How long a delivery may take.
    let timeout: Double

    /// What came of one delivery.
    struct Outcome: Sendable {
        var status: Int?
        var durationMs: Double
        var signatureVerified: Bool
        var requestId: String
        /// The reply the webhook chose, nil when it chose none (the stand-in assistant answers).
        var reply: String?
        /// Why it failed, nil when it did not.
        var failure: String?
    }

    /// The longest reply kept from a webhook, in characters.
    static let maxReply = 4096

    /// POSTs `body` to `url` signed with `secret`.
    func deliver(url: String, secret: String, body: String, sessionId: String) async -> Outcome {
        let requestId = UUID().uuidString.lowercased()
        let signature = WebhookPayload.signature(body: body, secret: secret)
        let verified = WebhookPayload.verify(body: Array(body.utf8), secret: secret, signature: signature)
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "moveo-emulator")
        request.headers.add(name: "X-Moveo-Signature", value: signature)
        request.headers.add(name: "X-Moveo-Request-Id", value: requestId)
        request.headers.add(name: "X-Moveo-Session-Id", value: sessionId)
        request.body = .bytes(ByteBuffer(string: body))
        let start = ContinuousClock.now
        func elapsed() -> Double {
            let duration = ContinuousClock.now - start
            return Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
        }
        do {
            let response = try await HTTPClient.shared.execute(request, timeout: .milliseconds(Int64(timeout * 1000)))
            let bytes = try await response.body.collect(upTo: 1 << 20)
            let status = Int(response.status.code)
            guard (200..<300).contains(status) else {
                return Outcome(status: status, durationMs: elapsed(), signatureVerified: verified, requestId: requestId, reply: nil,
                               failure: "the webhook answered HTTP \(status)")
            }
            let contentType = response.headers.first(name: "content-type")?.lowercased() ?? ""
            switch Self.reply(from: Array(bytes.readableBytesView), contentType: contentType) {
            case .success(let reply):
                return Outcome(status: status, durationMs: elapsed(), signatureVerified: verified, requestId: requestId, reply: reply, failure: nil)
            case .failure(let reason):
                return Outcome(status: status, durationMs: elapsed(), signatureVerified: verified, requestId: requestId, reply: nil, failure: reason.text)
            }
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout {
            return Outcome(status: nil, durationMs: elapsed(), signatureVerified: verified, requestId: requestId, reply: nil,
                           failure: "the webhook did not answer within \(Self.seconds(timeout))")
        } catch {
            return Outcome(status: nil, durationMs: elapsed(), signatureVerified: verified, requestId: requestId, reply: nil,
                           failure: "the webhook could not be reached (\(String(describing: error).prefix(120)))")
        }
    }

    struct Reason: Error { let text: String }

    /// The reply in an answer body: `responses[].texts`/`text`, `output.text`, `text`, or a plain-text body; empty means none.
    static func reply(from bytes: [UInt8], contentType: String) -> Result<String?, Reason> {
        let trimmed = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { return .success(nil) }
        guard contentType.contains("json") || trimmed.first == "{" else {
            return .success(String(trimmed.prefix(maxReply)))
        }
        guard let value = try? JSONParser.parse(Array(trimmed.utf8)), value.objectMembers != nil else {
            return .failure(Reason(text: "the webhook's answer is not a JSON object"))
        }
        var texts: [String] = []
        if case .array(let responses)? = value["responses"] {
            for response in responses {
                if case .array(let list)? = response["texts"], let first = list.first?.stringValue { texts.append(first) }
                else if let text = response["text"]?.stringValue { texts.append(text) }
            }
        }
        if texts.isEmpty, let text = value["output"]?["text"]?.stringValue ?? value["text"]?.stringValue { texts.append(text) }
        if texts.isEmpty { return .success(nil) }
        return .success(String(texts.joined(separator: "\n").prefix(maxReply)))
    }

    static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value)) s" : "\(value) s"
    }
}
