import AsyncHTTPClient
import Foundation
import MoveoAuth
import MoveoStore
import NIOCore
import NIOHTTP1

/// The growth scenario (CONTRACT §13): the same requests against a store of 1,000 sessions and one of `scale`, the ratio.
/// Each store is built through the store's own batch import: 10 sessions per `external_id`, 2 messages and 1 event per
/// session (1 in 100 rejected), all in the current month.
struct Growth {
    let binary: String
    let keys: BenchKeys
    let scale: Int
    let log: (String) -> Void

    /// One request's median latency at each size.
    struct Row {
        var name: String
        var small: Double
        var large: Double
        var ratio: Double { small > 0 ? large / small : 0 }
    }

    /// What one size measured.
    struct Sample {
        var medians: [String: Double] = [:]
        var startup = 0.0
        var rssAnonIdle = 0.0
        var rssAnonAfter = 0.0
    }

    static let names = [
        "GET sessions?integration_id&external_id", "GET events?outcome=rejected", "GET usage?integration_id&month",
        "DELETE integrations/…/users/…", "GET events?session_id", "GET sessions (first page)", "GET events (first page)",
        "GET integrations", "POST message (no token)",
    ]

    func run() async throws -> (rows: [Row], small: Sample, large: Sample) {
        let small = try await measure(size: 1000)
        let large = try await measure(size: scale)
        let rows = Self.names.map { Row(name: $0, small: small.medians[$0] ?? 0, large: large.medians[$0] ?? 0) }
            + [Row(name: "start-up (exec to listening)", small: small.startup * 1000, large: large.startup * 1000)]
        return (rows, small, large)
    }

    private func measure(size: Int) async throws -> Sample {
        let path = keys.folder.appendingPathComponent("growth-\(size).sqlite").path
        let arguments = ["--db", path, "--seed", keys.seedPath, "--admin-token", "bench-admin", "--no-demo", "--max-token-lifetime", "3600"]
        try ServerProcess(binary: binary, arguments: arguments, workingDirectory: keys.folder.path).stop()
        log("growth: importing \(size) sessions, \(2 * size) messages, \(size) events…")
        let started = ContinuousClock.now
        try await importStore(path: path, size: size)
        log("  imported in \(String(format: "%.1f", Measure.seconds(ContinuousClock.now - started))) s")
        let server = try ServerProcess(binary: binary, arguments: arguments, workingDirectory: keys.folder.path)
        defer { server.stop() }
        var sample = Sample(startup: server.startup, rssAnonIdle: Measure.anonymousMiB(server.pid))
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        defer { _ = client.shutdown() }
        let base = "http://127.0.0.1:\(server.port)"
        let formatter = DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM"
        let month = formatter.string(from: Date())
        let users = size / 10
        let signer = TokenSigner(signingKey: keys.customer, platformKey: keys.platform.publicKey)
        let token = try signer.identityToken(issuer: "bench", subject: "growth-chat", now: Date().timeIntervalSince1970, ttl: 3000)
        let (_, created) = try await call(client, .POST, base + "/v1/webchat/bench/sessions", body: #"{"identity_token":"\#(token)"}"#)
        guard let chat = try JSONParser.parse(Array(created.utf8))["session_id"]?.stringValue else { throw BenchError.requestFailed(created) }
        let requests: [(String, (Int) -> (HTTPMethod, String, String?))] = [
            (Self.names[0], { (.GET, "/v1/admin/sessions?integration_id=bench&external_id=u\(($0 * 7919) % users)", nil) }),
            (Self.names[1], { _ in (.GET, "/v1/admin/events?outcome=rejected", nil) }),
            (Self.names[2], { _ in (.GET, "/v1/admin/usage?integration_id=bench&month=\(month)", nil) }),
            (Self.names[3], { (.DELETE, "/v1/admin/integrations/bench/users/u\(users - 1 - $0)", nil) }),
            (Self.names[4], { (.GET, "/v1/admin/events?session_id=s_g\(($0 * 104_729) % size)", nil) }),
            (Self.names[5], { _ in (.GET, "/v1/admin/sessions", nil) }),
            (Self.names[6], { _ in (.GET, "/v1/admin/events", nil) }),
            (Self.names[7], { _ in (.GET, "/v1/admin/integrations", nil) }),
            (Self.names[8], { _ in (.POST, "/v1/webchat/sessions/\(chat)/messages", #"{"text":"hello there"}"#) }),
        ]
        for (name, make) in requests {
            var latencies: [Double] = []
            for index in 0..<21 {
                let (method, path, body) = make(index)
                let start = ContinuousClock.now
                let (status, text) = try await call(client, method, base + path, body: body)
                guard (200..<300).contains(status) else { throw BenchError.requestFailed("\(name): \(status) \(text.prefix(200))") }
                if index > 0 { latencies.append(Measure.seconds(ContinuousClock.now - start) * 1000) }
            }
            sample.medians[name] = Measure.percentile(latencies, 0.5)
        }
        sample.rssAnonAfter = Measure.anonymousMiB(server.pid)
        return sample
    }

    private func call(_ client: HTTPClient, _ method: HTTPMethod, _ url: String, body: String?) async throws -> (Int, String) {
        var request = HTTPClientRequest(url: url)
        request.method = method
        if url.contains("/v1/admin/") { request.headers.add(name: "Authorization", value: "Bearer bench-admin") }
        if let body { request.body = .bytes(ByteBuffer(string: body)) }
        let response = try await client.execute(request, timeout: .seconds(120))
        let bytes = try await response.body.collect(upTo: 16 << 20)
        return (Int(response.status.code), String(buffer: bytes))
    }

    /// Fills the store through its batch import, 10,000 sessions per transaction.
    private func importStore(path: String, size: Int) async throws {
        let database = try AppDatabase.open(path: path)
        defer { try? database.close() }
        let now = Date().timeIntervalSince1970
        // All in the current month (usage's worst case): the sessions spread over the hour before now.
        let first = now - 3600
        var index = 0
        while index < size {
            let end = min(size, index + 10_000)
            var sessions: [SessionRecord] = [], messages: [MessageRecord] = [], events: [EventRecord] = []
            for i in index..<end {
                let at = first + 3600 * Double(i) / Double(size)
                let id = "s_g\(i)", sub = "u\(i / 10)"
                sessions.append(SessionRecord(id: id, integrationId: "bench", authenticated: true, externalId: sub, issuer: "bench",
                                              context: #"{"n":\#(i)}"#, createdAt: at, lastSeenAt: at, messageCount: 2))
                messages.append(MessageRecord(id: "m_g\(i)a", sessionId: id, integrationId: "bench", externalId: sub, role: "user", text: "hello",
                                              createdAt: at, seq: 1))
                messages.append(MessageRecord(id: "m_g\(i)b", sessionId: id, integrationId: "bench", externalId: sub, role: "assistant", text: "hi",
                                              createdAt: at, seq: 2))
                let rejected = i % 100 == 0
                events.append(EventRecord(id: "e_g\(i)", at: at, integrationId: "bench", sessionId: id, action: "session_create",
                                          outcome: rejected ? "rejected" : "accepted", code: rejected ? "token_expired" : nil, detail: "imported",
                                          iss: "bench", sub: sub))
            }
            try await database.importBatch(sessions: sessions, messages: messages, events: events)
            index = end
        }
    }
}
