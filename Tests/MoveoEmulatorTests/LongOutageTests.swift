import AsyncHTTPClient
import Foundation
import MoveoAuth
import Testing

/// CONTRACT §12: an outage long enough for postgres-nio's pool to give up (its circuit breaker opens after a minute of
/// failed connection attempts, and its back-off then grows towards a minute): the instance still recovers as soon as the
/// database answers, by replacing that pool.
extension SeveralInstancesTests {
    @Test("an outage past the pool's circuit breaker: immediate 503s, then a fresh pool as soon as the database is back")
    func longOutage() async throws {
        guard Self.cluster != nil else { return }
        let script = TestEmulator.root.appendingPathComponent(".ci/postgres").path
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("moveo-long-outage-\(UUID().uuidString)").path
        guard try await Self.cluster(script, "start", folder) == 0,
              let url = try? String(contentsOfFile: folder + "/url", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines) else {
            Issue.record("could not start a second cluster")
            return
        }
        do {
            let server = try EmulatorBinary(["--db", url + "?sslmode=disable", "--admin-token", TestEmulator.adminToken, "--db-lease-timeout", "2"])
            defer { server.stop() }
            let client = HTTPClient(eventLoopGroupProvider: .singleton)
            defer { _ = client.shutdown() }
            let token = try TestEmulator.signer.identityToken(issuer: "acme", subject: "long", now: Date().timeIntervalSince1970, ttl: 120)
            let (created, body) = try await client.post(server.base + "/v1/webchat/demo/sessions", #"{"identity_token":"\#(token)"}"#)
            #expect(created == 201)
            let session = try #require(try JSONParser.parse(Array(body.utf8))["session_id"]?.stringValue)

            _ = try await Self.cluster(script, "pause", folder)
            // Wait for the event, not a duration: the log says when a lease was refused because the pool gave up.
            let gaveUp = "no connection could be made"
            let deadline = ContinuousClock.now + .seconds(300)
            var statuses: Set<Int> = []
            while !server.output.withLockedValue({ $0.contains(gaveUp) }), ContinuousClock.now < deadline {
                if let answer = try? await client.get(server.base + "/health") { statuses.insert(answer.0) }
                try await Task.sleep(for: .seconds(1))
            }
            #expect(server.output.withLockedValue { $0.contains(gaveUp) }, "the pool's circuit breaker opened")
            #expect(statuses == [503], "every request in the outage was refused: \(statuses)")

            _ = try await Self.cluster(script, "resume", folder)
            var status = 0
            let back = ContinuousClock.now + .seconds(120)
            while status != 201, ContinuousClock.now < back {
                if let answer = try? await client.post(server.base + "/v1/webchat/sessions/\(session)/messages", #"{"text":"after"}"#) {
                    status = answer.0
                }
                if status != 201 { try await Task.sleep(for: .milliseconds(200)) }
            }
            #expect(status == 201)
            #expect(server.output.withLockedValue { $0.contains("a fresh connection pool replaces") }, "recovered by a fresh pool")
            #expect(!server.output.withLockedValue { $0 }.contains(url.split(separator: ":")[2].split(separator: "@")[0]), "no password in the log")
        }
        _ = try await Self.cluster(script, "stop", folder)
    }
}
