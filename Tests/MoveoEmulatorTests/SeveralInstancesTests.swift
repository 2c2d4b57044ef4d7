import AsyncHTTPClient
import Foundation
import Logging
import MoveoAuth
import MoveoPostgres
import NIOConcurrencyHelpers
import PostgresNIO
import Testing

/// CONTRACT §12: two real emulator binaries on one PostgreSQL database behave as one emulator.
@Suite("Several instances on one PostgreSQL database", .serialized)
struct SeveralInstancesTests {
    static let cluster: PostgresURL? = ProcessInfo.processInfo.environment["MOVEO_TEST_POSTGRES_URL"].flatMap { PostgresURL($0) }

    /// A fresh database on the test cluster, its URL as text.
    static func freshDatabase() async throws -> String {
        let cluster = try #require(cluster)
        let name = "moveo_i_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        let connection = try await PostgresConnection.connect(
            configuration: .init(host: cluster.host, port: cluster.port, username: cluster.username, password: cluster.password,
                                 database: cluster.database, tls: .disable), id: 1, logger: Logger(label: "test"))
        try await connection.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: Logger(label: "test"))
        try await connection.close()
        let password = cluster.password.map { ":" + ($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? $0) } ?? ""
        return "postgres://\(cluster.username)\(password)@\(cluster.host):\(cluster.port)/\(name)?sslmode=disable"
    }

    @Test("a session made on A takes a message on B; the first start's admin token, the clock and a reset hold on both")
    func twoInstances() async throws {
        guard Self.cluster != nil else {
            print("SeveralInstancesTests: skipped, MOVEO_TEST_POSTGRES_URL is unset (.ci/run starts a throw-away cluster and sets it)")
            return
        }
        let url = try await Self.freshDatabase()
        let first = try EmulatorBinary(["--db", url])
        defer { first.stop() }
        let adminLine = try #require(first.output.withLockedValue { $0 }.split(separator: "\n").first { $0.hasPrefix("admin token: ") })
        let admin = [("Authorization", "Bearer " + String(adminLine.dropFirst("admin token: ".count)))]
        let second = try EmulatorBinary(["--db", url])
        defer { second.stop() }
        #expect(!second.output.withLockedValue { $0 }.contains("admin token: "), "the second instance uses the stored token")
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        defer { _ = client.shutdown() }

        let token = try TestEmulator.signer.identityToken(issuer: "acme", subject: "shared-user", now: Date().timeIntervalSince1970, ttl: 120)
        let (created, body) = try await client.post(first.base + "/v1/webchat/demo/sessions", #"{"identity_token":"\#(token)"}"#)
        #expect(created == 201, "\(body)")
        let session = try #require(try JSONParser.parse(Array(body.utf8))["session_id"]?.stringValue)
        let (answered, reply) = try await client.post(second.base + "/v1/webchat/sessions/\(session)/messages", #"{"text":"hello from B"}"#)
        #expect(answered == 201, "\(reply)")
        let (listed, messages) = try await client.get(first.base + "/v1/admin/sessions/\(session)/messages", headers: admin)
        #expect(listed == 200 && messages.contains("hello from B"))

        let (set, _) = try await Self.put(client, first.base + "/v1/admin/clock", #"{"now":"2030-01-01T00:00:00Z"}"#, headers: admin)
        #expect(set == 200)
        let (_, clock) = try await client.get(second.base + "/v1/admin/clock", headers: admin)
        #expect(clock.contains("2030-01-01T00:00:00") && clock.contains("fixed"), "\(clock)")
        let (_, late) = try await client.post(second.base + "/v1/webchat/sessions/\(session)/messages", #"{"text":"years later"}"#)
        #expect(late.contains("session_expired"), "B reads the clock A set: \(late)")

        let (reset, _) = try await client.post(first.base + "/v1/admin/reset", #"{"scope":"sessions"}"#, headers: admin)
        #expect(reset == 200)
        let (gone, _) = try await client.get(second.base + "/v1/admin/sessions/\(session)", headers: admin)
        #expect(gone == 404)
    }

    @Test("three instances started at once on an empty database: all serve, one demo integration, one admin token")
    func startTogether() async throws {
        guard Self.cluster != nil else { return }
        let url = try await Self.freshDatabase()
        let instances = try await withThrowingTaskGroup(of: EmulatorBinary.self) { group in
            for _ in 0..<3 { group.addTask { try await RawConnection.onThread { try EmulatorBinary(["--db", url]) } } }
            return try await group.reduce(into: [EmulatorBinary]()) { $0.append($1) }
        }
        defer { for instance in instances { instance.stop() } }
        let announced = instances.filter { $0.output.withLockedValue { $0 }.contains("admin token: ") }
        #expect(announced.count == 1, "exactly one instance generated and printed the admin token")
        let line = try #require(announced.first?.output.withLockedValue { $0 }.split(separator: "\n").first { $0.hasPrefix("admin token: ") })
        let admin = [("Authorization", "Bearer " + String(line.dropFirst("admin token: ".count)))]
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        defer { _ = client.shutdown() }
        for instance in instances {
            let (status, body) = try await client.get(instance.base + "/v1/admin/integrations", headers: admin)
            #expect(status == 200 && body.components(separatedBy: "\"integration_id\":\"demo\"").count == 2, "\(body)")
        }
    }

    @Test("kill -9 of A during concurrent session creations: every session A acknowledged is there, with its context, on B")
    func crashUnderLoad() async throws {
        guard Self.cluster != nil else { return }
        let url = try await Self.freshDatabase()
        let arguments = ["--db", url, "--admin-token", TestEmulator.adminToken]
        let first = try EmulatorBinary(arguments)
        defer { first.stop(SIGKILL) }
        let second = try EmulatorBinary(arguments)
        defer { second.stop() }
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        defer { _ = client.shutdown() }
        let crash = try CrashLoad(client: client, base: first.base, count: 300)
        try await crash.waitFor(40)
        first.stop(SIGKILL)
        let survivors = await crash.finish()
        print("PostgreSQL crash test: \(survivors.count) sessions acknowledged by A before kill -9")
        #expect(survivors.count >= 40)
        for (id, index) in survivors {
            let (status, body) = try await client.get(second.base + "/v1/admin/sessions/\(id)", headers: [("Authorization", "Bearer \(TestEmulator.adminToken)")])
            #expect(status == 200, "session \(id) lost")
            let session = try JSONParser.parse(Array(body.utf8))
            #expect(session["external_id"] == .string("crash-\(index)") && session["context"]?["n"] == .number(String(index)))
        }
    }

    @Test("the database going away mid-run: 503 store_unavailable, recovery once it is back, the acknowledged session kept")
    func outage() async throws {
        guard Self.cluster != nil else { return }
        let script = TestEmulator.root.appendingPathComponent(".ci/postgres").path
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("moveo-outage-\(UUID().uuidString)").path
        let started = try await Self.cluster(script, "start", folder)
        guard started == 0, let url = try? String(contentsOfFile: folder + "/url", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines) else {
            Issue.record("could not start a second cluster (status \(started))")
            return
        }
        do {
            let server = try EmulatorBinary(["--db", url + "?sslmode=disable", "--admin-token", TestEmulator.adminToken])
            defer { server.stop() }
            let client = HTTPClient(eventLoopGroupProvider: .singleton)
            defer { _ = client.shutdown() }
            let admin = [("Authorization", "Bearer \(TestEmulator.adminToken)")]
            let token = try TestEmulator.signer.identityToken(issuer: "acme", subject: "outage", now: Date().timeIntervalSince1970, ttl: 120)
            let (created, body) = try await client.post(server.base + "/v1/webchat/demo/sessions", #"{"identity_token":"\#(token)"}"#)
            #expect(created == 201)
            let session = try #require(try JSONParser.parse(Array(body.utf8))["session_id"]?.stringValue)

            _ = try await Self.cluster(script, "pause", folder)
            // The pool may spend a while on connection attempts before it gives up on a lease: wait for the answer, not a deadline.
            var (refused, problem) = (0, "")
            let outageDeadline = ContinuousClock.now + .seconds(120)
            while refused == 0, ContinuousClock.now < outageDeadline {
                if let answer = try? await client.post(server.base + "/v1/webchat/sessions/\(session)/messages", #"{"text":"during the outage"}"#) {
                    (refused, problem) = answer
                }
            }
            #expect(refused == 503 && problem.contains(#""code":"store_unavailable""#), "\(refused) \(problem)")
            #expect(!problem.contains(url.split(separator: "@").first.map(String.init) ?? "\u{0}"), "no credentials in the answer")

            _ = try await Self.cluster(script, "resume", folder)
            var status = 0, answer = ""
            let deadline = ContinuousClock.now + .seconds(120)
            while ContinuousClock.now < deadline {
                if let reply = try? await client.get(server.base + "/v1/admin/sessions/\(session)/messages", headers: admin) { (status, answer) = reply }
                if status == 200 { break }
                try await Task.sleep(for: .milliseconds(500))
            }
            #expect(status == 200 && !answer.contains("during the outage"), "recovered, and the refused message was not stored: \(answer)")
            let (again, _) = try await client.post(server.base + "/v1/webchat/sessions/\(session)/messages", #"{"text":"after"}"#)
            #expect(again == 201)
        }
        _ = try await Self.cluster(script, "stop", folder)
    }

    /// Runs `.ci/postgres COMMAND FOLDER` to its exit on a thread, its output discarded (the server it starts inherits
    /// descriptors, so a pipe would never reach its end).
    static func cluster(_ script: String, _ command: String, _ folder: String) async throws -> Int32 {
        try await RawConnection.onThread {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: script)
            process.arguments = [command, folder]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            process.standardInput = FileHandle.nullDevice
            try Process.launch(process)
            // Reaped here: Foundation's own wait was seen to leave this script a zombie once its server was running.
            let pid = process.processIdentifier
            var status: Int32 = 0
            while true {
                let reaped = waitpid(pid, &status, WNOHANG)
                if reaped == pid { return (status >> 8) & 0xFF }
                if reaped == -1 { return process.isRunning ? -1 : process.terminationStatus }
                usleep(20_000)
            }
        }
    }

    @Test("admin-token and integrations take the shared database's URL too; messages mask its password")
    func commandLine() async throws {
        guard let cluster = Self.cluster else { return }
        let url = try await Self.freshDatabase()
        let (empty, before) = try await Loopback.run(EmulatorBinary.path, ["admin-token", "--db", url])
        #expect(empty != 0 && before.contains("holds no admin token yet") && !before.contains(cluster.password ?? "\u{0}"), "\(before)")
        let server = try EmulatorBinary(["--db", url, "--admin-token", "cli-token"])
        server.stop()
        let (listed, integrations) = try await Loopback.run(EmulatorBinary.path, ["integrations", "list", "--db", url])
        #expect(listed == 0 && integrations.contains(#""integration_id":"demo""#), "\(integrations)")
    }

    @Test("an unreachable database or wrong credentials: a start-up error naming the URL, never the password, exit non-zero")
    func unreachable() async throws {
        let (status, output) = try await Loopback.run(EmulatorBinary.path, ["serve", "--port", "0", "--db", "postgres://emu:hunter2-secret@127.0.0.1:1/sandbox"])
        #expect(status != 0)
        #expect(output.contains("postgres://emu:***@127.0.0.1:1/sandbox") && !output.contains("hunter2"), "\(output)")
    }

    static func put(_ client: HTTPClient, _ url: String, _ body: String, headers: [(String, String)]) async throws -> (Int, String) {
        var request = HTTPClientRequest(url: url)
        request.method = .PUT
        request.headers.add(name: "Content-Type", value: "application/json")
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(string: body))
        let response = try await client.execute(request, timeout: .seconds(30))
        return (Int(response.status.code), String(buffer: try await response.body.collect(upTo: 1 << 20)))
    }
}
