import AsyncHTTPClient
import Foundation
import MoveoAuth
import MoveoStore
import NIOConcurrencyHelpers
import Testing

/// The real binary: kill -9 mid-load loses nothing acknowledged; nothing secret reaches a log or a web chat body.
@Suite("The real binary under stress", .serialized)
struct ProcessSafetyTests {

    @Test("kill -9 during concurrent session creations: every acknowledged session survives with its context; integrity ok")
    func crashSafety() async throws {
        let folder = try TestEmulator.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = folder.appendingPathComponent("crash.sqlite").path
        let arguments = ["--db", database, "--admin-token", TestEmulator.adminToken]
        let server = try EmulatorBinary(arguments)
        defer { server.stop(SIGKILL) }
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        let crash = try CrashLoad(client: client, base: server.base, count: 400)
        try await crash.waitFor(60)
        server.stop(SIGKILL)
        let survivors = await crash.finish()
        print("crash test: \(survivors.count) sessions acknowledged before kill -9")
        #expect(survivors.count >= 60)

        let restarted = try EmulatorBinary(arguments)
        defer { restarted.stop() }
        for (id, index) in survivors {
            let (status, body) = try await client.get(restarted.base + "/v1/admin/sessions/\(id)", headers: [("Authorization", "Bearer \(TestEmulator.adminToken)")])
            #expect(status == 200, "session \(id) lost")
            let session = try JSONParser.parse(Array(body.utf8))
            #expect(session["external_id"] == .string("crash-\(index)") && session["context"]?["n"] == .number(String(index)))
        }
        restarted.stop()
        try await client.shutdown()
        #expect(try AppDatabase.open(path: database).integrityCheck() == "ok")
    }

    @Test("a full flow leaks no context value, private key, admin token (after the first start) or token signature")
    func secrets() async throws {
        let folder = try TestEmulator.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = folder.appendingPathComponent("nested/secrets.sqlite").path
        let first = try EmulatorBinary(["--db", database])
        defer { first.stop() }
        let firstOutput = first.output.withLockedValue { $0 }
        let adminLine = try #require(firstOutput.split(separator: "\n").first { $0.hasPrefix("admin token: ") })
        let admin = String(adminLine.dropFirst("admin token: ".count))
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        var webchatBodies: [String] = []
        var signatures: [String] = []
        let now = Date().timeIntervalSince1970
        let token = try TestEmulator.signer.identityToken(issuer: "acme", subject: "secret-user", now: now, ttl: 60, context: TestEmulator.sampleContext)
        signatures.append(String(token.split(separator: ".")[2]))
        let (status, created) = try await client.post(first.base + "/v1/webchat/demo/sessions", #"{"identity_token":"\#(token)"}"#)
        #expect(status == 201)
        webchatBodies.append(created)
        let id = try #require(try JSONParser.parse(Array(created.utf8))["session_id"]?.stringValue)
        let fresh = try TestEmulator.signer.identityToken(issuer: "acme", subject: "secret-user", now: now, ttl: 60,
                                                          context: .object([("user", .object([("is_vip", .bool(false))]))]))
        signatures.append(String(fresh.split(separator: ".")[2]))
        webchatBodies.append(try await client.post(first.base + "/v1/webchat/sessions/\(id)/messages", #"{"text":"hi","identity_token":"\#(fresh)"}"#).1)
        let expired = try TestEmulator.signer.identityToken(issuer: "acme", subject: "secret-user", now: now - 100, ttl: 10, context: TestEmulator.sampleContext)
        signatures.append(String(expired.split(separator: ".")[2]))
        webchatBodies.append(try await client.post(first.base + "/v1/webchat/demo/sessions", #"{"identity_token":"\#(expired)"}"#).1)
        let demoPage = try await client.get(first.base + "/demo").1
        let adminHeaders = [("Authorization", "Bearer \(admin)")]
        _ = try await client.post(first.base + "/v1/admin/integrations/demo/verify", #"{"identity_token":"\#(token)"}"#, headers: adminHeaders)
        let integration = try await client.get(first.base + "/v1/admin/integrations/demo", headers: adminHeaders).1
        #expect(!integration.contains("PRIVATE KEY"))
        first.stop()
        let second = try EmulatorBinary(["--db", database])
        defer { second.stop() }
        second.stop()
        try await client.shutdown()

        let logs = first.output.withLockedValue { $0 } + second.output.withLockedValue { $0 }
        let platformLines = TestEmulator.text("platform_private.pem").split(separator: "\n").filter { !$0.hasPrefix("-----") }.map(String.init)
        let contextValues = ["Panagiotis", "Karagiannis", "1234959595", "credit_card", "is_vip"]
        for value in contextValues {
            #expect(!logs.contains(value), "the log shows \(value)")
            for body in webchatBodies { #expect(!body.contains(value), "a web chat body shows \(value)") }
        }
        // The demo page names sample members in the code it shows (`updateContext({user: {is_vip: false}})`, CONTRACT §9), so it is
        // held to the values: none of the sample's values, key lines or signatures.
        for value in ["Panagiotis", "Karagiannis", "1234959595", "123456789"] { #expect(!demoPage.contains(value), "the demo page shows \(value)") }
        webchatBodies.append(demoPage)
        for line in platformLines { #expect(!logs.contains(line) && !webchatBodies.joined().contains(line)) }
        for signature in signatures { #expect(!logs.contains(signature) && !webchatBodies.joined().contains(signature)) }
        #expect(logs.components(separatedBy: admin).count == 2, "the admin token is printed once, at the first start only")
        #expect(!second.output.withLockedValue { $0 }.contains(admin))
        let attributes = try FileManager.default.attributesOfItem(atPath: database)
        #expect(attributes[.posixPermissions] as? Int == 0o600)
        let folderMode = try FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent("nested").path)[.posixPermissions] as? Int
        #expect(folderMode == 0o700)
    }

    @Test("SIGTERM exits 0 after closing the database")
    func gracefulStop() async throws {
        let folder = try TestEmulator.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let server = try EmulatorBinary(["--db", folder.appendingPathComponent("stop.sqlite").path, "--admin-token", "x"])
        #expect(server.stop(SIGTERM) == 0)
        #expect(server.output.withLockedValue { $0 }.contains("database closed"))
    }
}
