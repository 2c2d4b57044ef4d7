import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MoveoAuth
@testable import MoveoEmulator
import MoveoStore
import NIOConcurrencyHelpers
import Testing

/// CONTRACT §15: what a token producer gets wrong that Moveo would still accept.
@Suite("Signer lint")
struct SignerLintTests {
    static let sampleKey = Array("(H+MbQeThWmZq4t7w!z%C&F)J@NcRfUj".utf8)
    static let sampleIV = Array("*F-JaNdRgUkXp2s5".utf8)

    /// A demo token whose context is encrypted under `key` and `iv` (the documentation's sample ones by default).
    static func token(sub: String = "user-1", now: Double = TestEmulator.now, ttl: Double = 10, key: [UInt8] = sampleKey, iv: [UInt8] = sampleIV,
                      iat: Bool = true) throws -> String {
        var claims: [(String, JSONValue)] = [("iss", .string("acme")), ("sub", .string(sub))]
        if iat { claims.append(("iat", .number(String(Int(now))))) }
        claims.append(("exp", .number(String(Int(now + ttl)))))
        claims += try TokenSigner.encryptContext(Array(JSONWriter.string(DemoPage.sampleContext).utf8), platformKey: TestEmulator.platformPublicKey,
                                                 key: key, iv: iv)
        return try TestEmulator.signer.sign(claims: claims)
    }

    static func acceptedDetail(_ client: any TestClientProtocol, session: String) async throws -> String {
        let events = try await client.call(.get, "/v1/admin/events?session_id=\(session)", admin: true).json["events"]
        guard case .array(let list)? = events else { return "" }
        return list.first { $0["action"] == .string("session_create") }?["detail"]?.stringValue ?? ""
    }

    @Test("the documented sample key and IV minted twice: sample_key_used, then aes_key_reused and aes_iv_reused — warned, never refused")
    func sampleKeyTwice() async throws {
        try await TestEmulator.run { client in
            let first = try await client.createSession(try Self.token(sub: "a"))
            #expect(first.status == .created)
            let firstDetail = try await Self.acceptedDetail(client, session: first.json["session_id"]!.stringValue!)
            #expect(firstDetail.contains("sample_key_used: ") && !firstDetail.contains("aes_key_reused"))
            let second = try await client.createSession(try Self.token(sub: "b"))
            #expect(second.status == .created, "Moveo accepts it, so the emulator does too")
            let detail = try await Self.acceptedDetail(client, session: second.json["session_id"]!.stringValue!)
            for code in ["aes_key_reused: ", "aes_iv_reused: ", "sample_key_used: "] { #expect(detail.contains(code), "\(code)") }
            #expect(detail.contains("crypto.randomBytes(32)") && detail.contains("os.urandom(32)") && detail.contains("SecureRandom"))
            let verified = try await client.call(.post, "/v1/admin/integrations/demo/verify",
                                                 JSONWriter.string(.object([("identity_token", .string(try Self.token(sub: "c")))])), admin: true)
            let warnings = verified.json["warnings"].map(JSONWriter.string) ?? ""
            #expect(verified.json["valid"] == .bool(true) && warnings.contains("\"aes_key_reused: ") && warnings.contains("\"sample_key_used: "))
            let report = try await client.call(.get, "/v1/admin/integrations/demo/lint", admin: true).json
            #expect(report["tokens_seen"] == .number("3"))
            guard case .array(let findings)? = report["findings"] else { Issue.record("no findings array"); return }
            #expect(findings.map { $0["code"]?.stringValue ?? "" } == ["sample_key_used", "aes_key_reused", "aes_iv_reused"])
            #expect(findings.first?["count"] == .number("3") && findings.last?["count"] == .number("2"))
            #expect(report["headers"]?["alg"] == .object([("RS256", .number("3"))]) && report["headers"]?["typ"] == .object([("JWT", .number("3"))]))
            #expect(report["headers"]?["kid_present"] == .number("0") && report["lifetimes"]?["p50"] == .number("10"))
            // Fingerprints, never secrets: no key, IV, token or base64 of them anywhere in what the lint stores or shows.
            let stored = try await client.call(.get, "/v1/admin/integrations/demo/lint", admin: true).raw + detail + warnings
            for secret in ["H+MbQeThWmZq4t7w", "KEgrTWJRZVRoV21acTR0N3ch", "*F-JaNdRgUkXp2s5", "KkYtSmFOZFJnVWtYcDJzNQ"] { #expect(!stored.contains(secret)) }
        }
    }

    @Test("a fresh random key and IV per token: no finding; the same token for two sessions: token_replayed; exp 120 s after iat: lifetime_over_60s")
    func freshReplayAndLifetime() async throws {
        try await TestEmulator.run { client in
            for sub in ["a", "b", "c"] {
                #expect(try await client.createSession(try Self.token(sub: sub, key: Digest.randomBytes(32), iv: Digest.randomBytes(16))).status == .created)
            }
            var report = try await client.call(.get, "/v1/admin/integrations/demo/lint", admin: true).json
            #expect(report["findings"] == .array([]) && report["tokens_seen"] == .number("3"))
            let token = try Self.token(sub: "d", key: Digest.randomBytes(32), iv: Digest.randomBytes(16))
            _ = try await client.createSession(token)
            let replayed = try await client.createSession(token)
            #expect(replayed.status == .created)
            #expect(try await Self.acceptedDetail(client, session: replayed.json["session_id"]!.stringValue!).contains("token_replayed: "))
            _ = try await client.createSession(try Self.token(sub: "e", ttl: 120, key: Digest.randomBytes(32), iv: Digest.randomBytes(16)))
            _ = try await client.createSession(try Self.token(sub: "f", key: Digest.randomBytes(32), iv: Digest.randomBytes(16), iat: false))
            report = try await client.call(.get, "/v1/admin/integrations/demo/lint", admin: true).json
            guard case .array(let findings)? = report["findings"] else { Issue.record("no findings array"); return }
            #expect(Set(findings.map { $0["code"]?.stringValue ?? "" }) == ["token_replayed", "lifetime_over_60s", "iat_missing"])
            #expect(report["lifetimes"]?["max"] == .number("120"))
            #expect(try await client.call(.post, "/v1/admin/reset", #"{"scope":"sessions"}"#, admin: true).status == .ok)
            report = try await client.call(.get, "/v1/admin/integrations/demo/lint", admin: true).json
            #expect(report["findings"] == .array([]) && report["tokens_seen"] == .number("0"), "reset clears the counts")
            #expect(try await client.call(.get, "/v1/admin/integrations/nope/lint", admin: true).code == "integration_not_found")
        }
    }

    @Test("the fingerprint memory holds the last 10,000 context tokens of an integration: older ones leave")
    func bound() async throws {
        let database = try AppDatabase.open(path: ":memory:")
        _ = try await buildApplication(TestEmulator.configuration(), database: database, announce: { _ in })
        let total = AppDatabase.lintMemory + 5
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<total {
                group.addTask {
                    try await database.recordLint(LintObservation(integrationId: "demo", at: Double(index), tokenHash: "t\(index)", keyHash: "k\(index)",
                                                                  ivHash: "i\(index)", forSession: true, lifetime: 10, counters: [("tokens_seen", "")]))
                }
            }
            try await group.waitForAll()
        }
        let report = try await database.lintReport(integrationId: "demo")
        #expect(report.fingerprints == AppDatabase.lintMemory && report.lifetimes.count == AppDatabase.lintMemory)
        #expect(report.counters.first { $0.name == "tokens_seen" }?.count == total, "counts are totals; only the fingerprints are bounded")
        var kept = 0
        for index in 0..<total where try await database.lintSeen(LintProbe(integrationId: "demo", keyHash: "k\(index)", ivHash: nil, tokenHash: "-")).key {
            kept += 1
        }
        #expect(kept == AppDatabase.lintMemory)
        #expect(try await database.lintSeen(LintProbe(integrationId: "demo", keyHash: "k0", ivHash: nil, tokenHash: "-")).key == false, "the oldest left")
    }
}

/// A customer's token endpoint on loopback: `/sample` encrypts every context under the documentation's key and IV (its Node
/// sample), `/fresh` uses a new random key and IV each time (the fix), `/text` answers the token as plain text.
enum TokenEndpoint {
    static func run(_ body: @Sendable (String) async throws -> Void) async throws {
        let router = Router()
        router.get("/sample") { _, _ -> Response in
            let token = try SignerLintTests.token(now: Date().timeIntervalSince1970)
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: #"{"token":"\#(token)"}"#)))
        }
        router.get("/fresh") { request, _ -> Response in
            guard request.headers[HTTPField.Name("X-Api-Key")!] == "k1" else { return Response(status: .unauthorized) }
            let token = try SignerLintTests.token(now: Date().timeIntervalSince1970, key: Digest.randomBytes(32), iv: Digest.randomBytes(16))
            return Response(status: .ok, headers: [.contentType: "text/plain"], body: .init(byteBuffer: ByteBuffer(string: token)))
        }
        let released = NIOLockedValueBox(false)
        router.get("/slow") { _, _ -> Response in
            // Reliably slower than the 1 s timeout under test: it waits until the test is over.
            while !released.withLockedValue({ $0 }) { try await Task.sleep(for: .milliseconds(20)) }
            return Response(status: .ok)
        }
        router.get("/empty") { _, _ -> Response in Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: #"{"ok":true}"#))) }
        try await Loopback.serve(router, released: released, body)
    }
}

@Suite("lint-signer command")
struct LintSignerCommandTests {
    /// Runs the built binary's `lint-signer` and returns its exit status and output.
    static func lint(_ arguments: [String]) async throws -> (Int32, String) {
        try await Loopback.run(EmulatorBinary.path, ["lint-signer"] + arguments)
    }

    @Test("against the documentation's sample signer: exit 1 with the findings; against a correct one: exit 0; a dead or wrong endpoint: exit 2")
    func exits() async throws {
        try await TokenEndpoint.run { endpoint in
            try await TestEmulator.withLiveServer { emulator in
                let common = ["--emulator", emulator, "--admin-token", TestEmulator.adminToken, "--integration", "demo", "--count", "3"]
                let (sampleStatus, sample) = try await Self.lint(["--url", endpoint + "/sample"] + common)
                print(sample)
                #expect(sampleStatus == 1)
                for code in ["sample_key_used (3 of 3 tokens)", "aes_key_reused (2 of 3 tokens)", "aes_iv_reused (2 of 3 tokens)"] {
                    #expect(sample.contains(code), "\(code)")
                }
                let (freshStatus, fresh) = try await Self.lint(["--url", endpoint + "/fresh", "--header", "X-Api-Key: k1"] + common)
                #expect(freshStatus == 0 && fresh.contains("3 tokens checked: no finding"), "\(fresh)")
                let (deniedStatus, denied) = try await Self.lint(["--url", endpoint + "/fresh"] + common)
                #expect(deniedStatus == 2 && denied.contains("answered HTTP 401"), "\(denied)")
                let (emptyStatus, empty) = try await Self.lint(["--url", endpoint + "/empty"] + common)
                #expect(emptyStatus == 2 && empty.contains("without a token"), "\(empty)")
                let (deadStatus, dead) = try await Self.lint(["--url", "http://127.0.0.1:9/token", "--timeout", "20"] + common)
                #expect(deadStatus == 2 && dead.contains("cannot be reached"), "\(dead)")
                let (slowStatus, slow) = try await Self.lint(["--url", endpoint + "/slow", "--timeout", "1"] + common)
                #expect(slowStatus == 2 && slow.contains("did not answer within 1 s"), "\(slow)")
            }
        }
    }
}
