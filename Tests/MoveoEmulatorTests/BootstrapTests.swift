import Foundation
import MoveoAuth
@testable import MoveoEmulator
import MoveoStore
import NIOConcurrencyHelpers
import Testing

/// CONTRACT §1: the admin token, the demo integration, the seed file.
@Suite("Start-up")
struct BootstrapTests {

    @Test("a generated admin token is printed once, on its own line, and stored")
    func adminToken() async throws {
        let folder = try TestEmulator.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var configuration = TestEmulator.configuration(database: folder.appendingPathComponent("db.sqlite").path)
        configuration.adminToken = nil
        let lines = NIOLockedValueBox<[String]>([])
        for _ in 0..<2 {
            _ = try await buildApplication(configuration, announce: { line in lines.withLockedValue { $0.append(line) } })
        }
        let printed = lines.withLockedValue { $0 }.filter { $0.hasPrefix("admin token: ") }
        #expect(printed.count == 1)
        let token = String(try #require(printed.first).dropFirst("admin token: ".count))
        #expect(!token.hasPrefix("-") && token.count >= 40)
        #expect(try await AppDatabase.open(path: configuration.databasePath).adminToken() == token)
    }

    @Test("the demo integration comes from the keys built into the binary, byte for byte Keys/demo; --no-demo turns it off")
    func demoKeys() async throws {
        #expect(Embedded.DemoKeys.customerPublic == TestEmulator.text("customer_public.pem"))
        #expect(Embedded.DemoKeys.customerPrivate == TestEmulator.text("customer_private.pem"))
        #expect(Embedded.DemoKeys.platformPrivate == TestEmulator.text("platform_private.pem"))
        for name in ["dashboard.html", "dashboard.js", "dashboard.css", "webchat.js"] {
            let file = TestEmulator.root.appendingPathComponent("Sources/MoveoEmulator/Assets/\(name)")
            #expect(Embedded.data("assets/" + name) == FileManager.default.contents(atPath: file.path), "\(name)")
        }
        let database = try AppDatabase.open(path: ":memory:")
        _ = try await buildApplication(TestEmulator.configuration(), database: database, announce: { _ in })
        let demo = try #require(try await database.integration(id: "demo"))
        #expect(demo.customerKeys.first?.kid == (try RSAPublicKey(importing: TestEmulator.text("customer_public.pem"))).thumbprint)
        var configuration = TestEmulator.configuration()
        configuration.createDemo = false
        let other = try AppDatabase.open(path: ":memory:")
        _ = try await buildApplication(configuration, database: other, announce: { _ in })
        #expect(try await other.integrationCount() == 0)
    }

    @Test("seeding creates fixed ids and keys, generates a kept platform key, and is idempotent")
    func seed() async throws {
        let folder = try TestEmulator.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("acme"), withIntermediateDirectories: true)
        try TestEmulator.text("customer_public.pem").write(to: folder.appendingPathComponent("acme/customer_public.pem"), atomically: true, encoding: .utf8)
        try TestEmulator.text("platform_private.pem").write(to: folder.appendingPathComponent("acme/platform_private.pem"), atomically: true, encoding: .utf8)
        let seed = """
            {"integrations": [
              {"integration_id": "acme", "name": "Acme", "auth_required": true, "session_timeout": 120,
               "customer_public_keys": ["acme/customer_public.pem"], "platform_private_key": "acme/platform_private.pem"},
              {"integration_id": "beta", "name": "Beta", "auth_required": false,
               "webhook_url": "http://127.0.0.1:9/legacy",
               "webhooks": [{"name": "pre", "type": "pre_message", "url": "http://127.0.0.1:9/pre", "custom_headers": {"X-Env": "ci"}},
                            {"name": "post", "type": "post_message", "url": "http://127.0.0.1:9/post", "verification_token": "fixed-token-1"}]}
            ]}
            """
        try seed.write(to: folder.appendingPathComponent("seed.json"), atomically: true, encoding: .utf8)
        var configuration = TestEmulator.configuration()
        configuration.seedFile = folder.appendingPathComponent("seed.json").path
        let database = try AppDatabase.open(path: ":memory:")
        let lines = NIOLockedValueBox<[String]>([])
        _ = try await buildApplication(configuration, database: database, announce: { line in lines.withLockedValue { $0.append(line) } })
        let first = try await database.integrations()
        _ = try await buildApplication(configuration, database: database, announce: { line in lines.withLockedValue { $0.append(line) } })
        let second = try await database.integrations()
        #expect(first == second)
        let beta = try #require(first.first { $0.record.id == "beta" })
        #expect(beta.webhooks.map(\.name) == ["default", "pre", "post"] && beta.webhooks.map(\.type) == ["dialog", "pre_message", "post_message"])
        #expect(beta.webhooks[1].customHeaders == #"{"X-Env":"ci"}"# && beta.webhooks[2].verificationToken == "fixed-token-1")
        let announced = lines.withLockedValue { $0 }.filter { $0.hasPrefix("webhook") }
        #expect(announced == ["webhook secret for beta: \(beta.webhooks[0].verificationToken)", "webhook token for beta/pre: \(beta.webhooks[1].verificationToken)"],
                "generated tokens are printed once, on the first start")
        #expect(Set(first.map(\.record.id)) == ["acme", "beta"])
        let acme = try #require(first.first { $0.record.id == "acme" })
        #expect(acme.record.sessionTimeout == 120 && acme.customerKeys.count == 1)
        #expect(acme.currentPlatformKey?.kid == TestEmulator.platformPublicKey.thumbprint)
        #expect(first.first { $0.record.id == "beta" }?.platformKeys.count == 1)
    }

    @Test("a seed naming an unreadable file or the wrong kind of key stops the start, naming the file and field")
    func seedErrors() async throws {
        let folder = try TestEmulator.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try TestEmulator.text("customer_public.pem").write(to: folder.appendingPathComponent("public.pem"), atomically: true, encoding: .utf8)
        let cases = [
            (#"{"integrations":[{"integration_id":"a","customer_public_keys":["missing.pem"]}]}"#, "integrations[0].customer_public_keys[0]"),
            (#"{"integrations":[{"integration_id":"a","platform_private_key":"public.pem"}]}"#, "integrations[0].platform_private_key"),
            (#"{"integrations":[{"integration_id":"a b"}]}"#, "integrations[0].integration_id"),
            ("not json", "(file)"),
            (#"{"integrations":[{"integration_id":"a","webhooks":[{"name":"x","type":"dialog","url":"http://h/x","custom_headers":{"Host":"h"}}]}]}"#,
             "integrations[0].webhooks[0].custom_headers.Host"),
            (#"{"integrations":[{"integration_id":"a","webhooks":[{"name":"x","type":"nope","url":"http://h/x"}]}]}"#, "integrations[0].webhooks[0].type"),
        ]
        for (text, field) in cases {
            let path = folder.appendingPathComponent("seed.json").path
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            var configuration = TestEmulator.configuration()
            configuration.seedFile = path
            do {
                _ = try await buildApplication(configuration, announce: { _ in })
                Issue.record("the seed \(text) was accepted")
            } catch let failure as SeedFile.Failure {
                #expect(failure.description.contains(path) && failure.description.contains(field), "\(failure)")
            }
        }
    }
}
