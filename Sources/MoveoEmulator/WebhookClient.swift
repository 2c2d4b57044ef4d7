import AsyncHTTPClient
import Foundation
import MoveoAuth
import NIOCore
import NIOHTTP1

/// Sends one signed webhook call and reads at most 1 MiB of its answer, or says why it failed.
struct WebhookClient: Sendable {
    /// How long a call may take, answer included.
    let timeout: Double

    /// What came of one call.
    struct Outcome: Sendable {
        var status: Int?
        var durationMs: Double
        var signatureVerified: Bool
        var requestId: String
        /// The 2xx answer's body and content type.
        var body: [UInt8] = []
        var contentType = ""
        /// Why it failed, nil when it did not.
        var failure: String?
    }

    /// Why an answer is not one.
    struct Reason: Error, Sendable, Equatable { let text: String }

    /// The most of an answer that is read.
    static let maxAnswerBytes = 1 << 20

    /// The emulator's own headers of a call (CONTRACT §10), before the webhook's custom ones.
    struct Identity: Sendable {
        var sessionId: String
        var accountId: String
        var accountSlug: String
    }

    /// POSTs `body` to `url`, signed with `token`, with our headers and then `customHeaders`.
    func deliver(url: String, token: String, body: String, identity: Identity, customHeaders: [(String, String)]) async -> Outcome {
        let requestId = UUID().uuidString.lowercased()
        let signature = WebhookPayload.signature(body: body, secret: token)
        let verified = WebhookPayload.verify(body: Array(body.utf8), secret: token, signature: signature)
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "moveo-emulator")
        request.headers.add(name: "X-Moveo-Signature", value: signature)
        request.headers.add(name: "X-Moveo-Request-Id", value: requestId)
        request.headers.add(name: "X-Moveo-Session-Id", value: identity.sessionId)
        request.headers.add(name: "X-Moveo-Account-Id", value: identity.accountId)
        request.headers.add(name: "X-Moveo-Account-Slug", value: identity.accountSlug)
        for (name, value) in customHeaders { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(string: body))
        let start = ContinuousClock.now
        var outcome = Outcome(status: nil, durationMs: 0, signatureVerified: verified, requestId: requestId)
        func finish(_ failure: String?) -> Outcome {
            let duration = ContinuousClock.now - start
            outcome.durationMs = Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
            outcome.failure = failure
            return outcome
        }
        let timeout = self.timeout
        let prepared = request
        do {
            // One deadline for the whole call, the answer's body included (a receiver that sends headers and stalls is a timeout too).
            let (status, contentType, bytes) = try await withThrowingTaskGroup(of: (Int, String, [UInt8]).self) { group in
                group.addTask {
                    let response = try await HTTPClient.shared.execute(prepared, timeout: .milliseconds(Int64(timeout * 1000)))
                    let status = Int(response.status.code)
                    let contentType = response.headers.first(name: "content-type") ?? ""
                    let buffer = try await response.body.collect(upTo: Self.maxAnswerBytes)
                    return (status, contentType, Array(buffer.readableBytesView))
                }
                group.addTask {
                    try await Task.sleep(for: .milliseconds(Int64(timeout * 1000)))
                    throw HTTPClientError.deadlineExceeded
                }
                defer { group.cancelAll() }
                return try await group.next()!
            }
            outcome.status = status
            guard (200..<300).contains(status) else { return finish("the webhook answered HTTP \(status)") }
            outcome.body = bytes
            outcome.contentType = contentType
            return finish(nil)
        } catch is NIOTooManyBytesError {
            return finish("the webhook's answer is over 1 MiB (the rest was not read)")
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout {
            return finish("the webhook did not answer within \(Self.seconds(timeout))")
        } catch {
            return finish("the webhook could not be reached (\(String(describing: error).prefix(120)))")
        }
    }

    static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value)) s" : "\(value) s"
    }
}
