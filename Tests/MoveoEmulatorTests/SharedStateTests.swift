import AsyncHTTPClient
import Foundation
import MoveoAuth
@testable import MoveoEmulator
import MoveoPostgres
import MoveoStore
import Testing

/// CONTRACT §12: keys and the clock changed through one instance hold on the others at once (no instance serves older state).
extension SeveralInstancesTests {
    @Test("a customer key added or replaced on A, and a platform key rotated on A, verify on B at once")
    func keysChangeEverywhere() async throws {
        guard Self.cluster != nil else { return }
        let url = try await Self.freshDatabase()
        let arguments = ["--db", url, "--admin-token", TestEmulator.adminToken]
        let first = try EmulatorBinary(arguments)
        defer { first.stop() }
        let second = try EmulatorBinary(arguments)
        defer { second.stop() }
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        defer { _ = client.shutdown() }
        let admin = [("Authorization", "Bearer \(TestEmulator.adminToken)")]
        let oldKey = try RSAPrivateKey(generatingBits: 2048), newKey = try RSAPrivateKey(generatingBits: 2048)
        let now = Date().timeIntervalSince1970
        func session(on instance: EmulatorBinary, key: RSAPrivateKey, platform: RSAPublicKey? = nil) async throws -> (Int, String) {
            let token = try TokenSigner(signingKey: key, platformKey: platform)
                .identityToken(issuer: "keys", subject: "u", now: now, ttl: 120, context: platform == nil ? nil : .object([("plan", .string("gold"))]))
            return try await client.post(instance.base + "/v1/webchat/shared-keys/sessions", #"{"identity_token":"\#(token)"}"#)
        }

        let create = JSONValue.object([("name", .string("keys")), ("integration_id", .string("shared-keys")), ("public_key", .string(oldKey.publicKey.spkiPEM))])
        let (created, integration) = try await client.post(first.base + "/v1/admin/integrations", JSONWriter.string(create), headers: admin)
        #expect(created == 201, "\(integration)")
        let (fresh, freshBody) = try await session(on: second, key: oldKey)
        #expect(fresh == 201, "an integration made on A verifies on B: \(freshBody)")

        let replace = JSONValue.object([("public_key", .string(newKey.publicKey.spkiPEM))])
        let (replaced, _) = try await Self.put(client, first.base + "/v1/admin/integrations/shared-keys/public-key", JSONWriter.string(replace), headers: admin)
        #expect(replaced == 200)
        let (stale, staleBody) = try await session(on: second, key: oldKey)
        #expect(stale == 401 && staleBody.contains("signature_invalid"), "B no longer accepts the replaced key: \(staleBody)")
        let (current, currentBody) = try await session(on: second, key: newKey)
        #expect(current == 201, "\(currentBody)")

        let oldPlatform = try RSAPublicKey(importing: try Self.platformPEM(integration))
        let (rotated, rotatedBody) = try await client.post(first.base + "/v1/admin/integrations/shared-keys/platform-key/rotate", "{}", headers: admin)
        #expect(rotated == 200, "\(rotatedBody)")
        let newPlatform = try RSAPublicKey(importing: try Self.platformPEM(rotatedBody))
        #expect(newPlatform.fingerprintSHA256 != oldPlatform.fingerprintSHA256)
        let (withNew, withNewBody) = try await session(on: second, key: newKey, platform: newPlatform)
        #expect(withNew == 201, "a context for the platform key rotated on A decrypts on B: \(withNewBody)")
        let id = try #require(try JSONParser.parse(Array(withNewBody.utf8))["session_id"]?.stringValue)
        let (_, stored) = try await client.get(first.base + "/v1/admin/sessions/\(id)", headers: admin)
        #expect(try JSONParser.parse(Array(stored.utf8))["context"]?["plan"] == .string("gold"), "\(stored)")
    }

    @Test("B's retention sweep runs at the clock A set, though B has answered no request since")
    func sweepAtSharedClock() async throws {
        guard Self.cluster != nil else { return }
        let url = try #require(PostgresURL(try await Self.freshDatabase()))
        let storeA = try await PostgresStore.open(url: url, connections: 2), storeB = try await PostgresStore.open(url: url, connections: 2)
        let a = EmulatorService(database: storeA, configuration: TestEmulator.configuration())
        let b = EmulatorService(database: storeB, configuration: TestEmulator.configuration())
        try await a.createDemoIfEmpty()
        let demo = try await a.integration("demo")
        let session = try await a.createSession(in: demo, token: try TestEmulator.token(sub: "old"))
        #expect(await b.sweepOnce(retain: 86_400)?.sessions == 0, "a fresh session stays")

        a.clock.setFixed(TestEmulator.now + 3 * 86_400)
        try await a.shareClock()
        let swept = await b.sweepOnce(retain: 86_400)
        #expect(swept?.sessions == 1, "B swept at A's clock")
        #expect(try await storeA.session(id: session.id) == nil)
        try await storeA.close()
        try await storeB.close()
    }

    /// The platform key's PKCS#1 PEM in an integration's JSON view.
    static func platformPEM(_ body: String) throws -> String {
        try #require(try JSONParser.parse(Array(body.utf8))["platform_key"]?["public_key_pem"]?.stringValue)
    }
}

/// The shared store's options are checked before anything starts.
@Suite("PostgreSQL options")
struct PostgresOptionTests {
    @Test("--db-connections and --db-lease-timeout out of range stop the start naming the option")
    func ranges() async throws {
        for (option, value) in [("--db-connections", "0"), ("--db-connections", "501"), ("--db-lease-timeout", "0"), ("--db-lease-timeout", "601")] {
            let (status, output) = try await Loopback.run(EmulatorBinary.path, ["serve", option, value, "--db", ":memory:", "--port", "0"])
            #expect(status != 0 && output.contains(option), "\(option) \(value): \(output)")
        }
    }
}
