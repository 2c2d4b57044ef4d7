import Foundation
import Hummingbird
import HummingbirdTesting
import MoveoAuth
@testable import MoveoEmulator
import MoveoStore
import NIOConcurrencyHelpers
import Testing

/// Builds emulators for tests: fixed clock, known admin token, the demo integration from Keys/demo.
enum TestEmulator {
    static let adminToken = "test-admin-token"
    static let now: Double = 1_800_000_000
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let keysFolder = root.appendingPathComponent("Keys/demo")

    static let customerKey = try! RSAPrivateKey(pem: text("customer_private.pem"))
    static let platformPublicKey = try! RSAPublicKey(importing: text("platform_public.pem"))
    static let signer = TokenSigner(signingKey: customerKey, platformKey: platformPublicKey)

    static func text(_ name: String) -> String {
        String(decoding: FileManager.default.contents(atPath: keysFolder.appendingPathComponent(name).path)!, as: UTF8.self)
    }

    /// A new empty folder under the temporary directory.
    static func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("moveo-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// The test configuration: in memory unless a path is given.
    static func configuration(database: String = ":memory:") -> EmulatorConfiguration {
        var configuration = EmulatorConfiguration()
        configuration.databasePath = database
        configuration.adminToken = adminToken
        configuration.fixedNow = now
        configuration.port = 0
        return configuration
    }

    /// A demo-integration token at the fixed clock.
    static func token(sub: String = "user-1", iss: String = "acme", context: JSONValue? = nil, ttl: Double = 10, at time: Double = now) throws -> String {
        try signer.identityToken(issuer: iss, subject: sub, now: time, ttl: ttl, context: context)
    }

    /// The documented sample's context.
    static let sampleContext = try! JSONParser.parse(Array(#"{"user":{"display_name":"Panagiotis Karagiannis","is_vip":true,"credit_card":"123456789","external_details":{"contract_id":"1234959595"}}}"#.utf8))

    /// Starts the emulator in this process on a free port (system clock), runs `body` with its base URL, stops it.
    static func withLiveServer(
        _ configuration: EmulatorConfiguration = { var c = configuration(); c.fixedNow = nil; return c }(),
        _ body: @Sendable (String) async throws -> Void
    ) async throws {
        let port = NIOLockedValueBox<Int?>(nil)
        let application = try await buildApplication(configuration, announce: { line in
            if line.hasPrefix("listening on http://127.0.0.1:") { port.withLockedValue { $0 = Int(line.split(separator: ":").last!) } }
        })
        let server = Task { try await application.run() }
        defer { server.cancel() }
        // Waits for the listening event; the bound (60 s) only stops a test whose server never starts.
        for _ in 0..<2400 where port.withLockedValue({ $0 }) == nil { try await Task.sleep(for: .milliseconds(25)) }
        let bound = try #require(port.withLockedValue { $0 })
        try await body("http://127.0.0.1:\(bound)")
    }

    /// Runs `body` against a fresh emulator.
    static func run(
        _ configuration: EmulatorConfiguration = configuration(), setup: TestingSetup = .router,
        _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void
    ) async throws {
        let application = try await buildApplication(configuration, announce: { _ in })
        try await application.test(setup) { client in try await body(client) }
    }
}

/// A response read as JSON.
struct Reply {
    let status: HTTPResponse.Status
    let headers: HTTPFields
    let raw: String
    var json: JSONValue { (try? JSONParser.parse(Array(raw.utf8))) ?? .null }
    var code: String? { json["code"]?.stringValue }
}

extension TestClientProtocol {
    /// Sends a request with an optional JSON body; `admin` adds the test admin token.
    func call(_ method: HTTPRequest.Method, _ uri: String, _ body: String? = nil, admin: Bool = false, headers extra: HTTPFields = [:]) async throws -> Reply {
        var headers = extra
        if admin { headers[.authorization] = "Bearer \(TestEmulator.adminToken)" }
        if body != nil { headers[.contentType] = "application/json" }
        return try await execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) }) { response in
            Reply(status: response.status, headers: response.headers, raw: String(buffer: response.body))
        }
    }

    /// Creates a session on `demo` with `token`.
    func createSession(_ token: String?, integration: String = "demo") async throws -> Reply {
        try await call(.post, "/v1/webchat/\(integration)/sessions", token.map { JSONWriter.string(.object([("identity_token", .string($0))])) } ?? "")
    }

    /// Posts a message, with a fresh token when given.
    func message(_ session: String, _ text: String = "hello", token: String? = nil) async throws -> Reply {
        var body: [(String, JSONValue)] = [("text", .string(text))]
        if let token { body.append(("identity_token", .string(token))) }
        return try await call(.post, "/v1/webchat/sessions/\(session)/messages", JSONWriter.string(.object(body)))
    }
}
