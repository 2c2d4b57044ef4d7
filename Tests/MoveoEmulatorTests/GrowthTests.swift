import Foundation
import GRDB
import HummingbirdTesting
import MoveoAuth
@testable import MoveoEmulator
@testable import MoveoStore
import NIOConcurrencyHelpers
import Testing

/// CONTRACT §13: every admin query is an index range (checked on the very statements the API runs), usage is a tally
/// that follows deletions, and `--retain` sweeps.
@Suite("Growth and retention")
struct GrowthTests {
    /// Tables that grow with use: a query on them must never scan or sort them whole.
    static let growing = ["sessions", "messages", "events", "webhook_deliveries", "usage_months", "usage_users", "lint_fingerprints",
                          "lint_lifetimes", "lint_counters"]

    @Test("query plans: every statement the admin API and the request path run searches an index; none scans or sorts a growing table")
    func queryPlans() async throws {
        let statements = NIOLockedValueBox<[String]>([])
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            db.trace(options: .statement) { event in
                if case .statement(let statement) = event { statements.withLockedValue { $0.append(statement.sql) } }
            }
        }
        let queue = try DatabaseQueue(configuration: configuration)
        let database = try AppDatabase(queue)
        let application = try await buildApplication(TestEmulator.configuration(), database: database, announce: { _ in })
        try await application.test(.router) { client in
            var sessions: [String] = []
            for index in 0..<6 {
                let created = try await client.createSession(try TestEmulator.token(sub: "user-\(index % 2)", context: TestEmulator.sampleContext))
                sessions.append(try #require(created.json["session_id"]?.stringValue))
                _ = try await client.message(sessions.last!, "hello")
            }
            _ = try await client.createSession(try TestEmulator.token(ttl: 9999))
            statements.withLockedValue { $0.removeAll() }
            let cursor = try #require(try await client.call(.get, "/v1/admin/sessions?limit=1", admin: true).json["next_cursor"]?.stringValue)
            let eventCursor = try #require(try await client.call(.get, "/v1/admin/events?limit=1", admin: true).json["next_cursor"]?.stringValue)
            let paths = [
                "/v1/admin/sessions?limit=2&cursor=\(cursor)", "/v1/admin/sessions?integration_id=demo&limit=2&cursor=\(cursor)",
                "/v1/admin/sessions?integration_id=demo&external_id=user-1&cursor=\(cursor)", "/v1/admin/sessions?external_id=user-1",
                "/v1/admin/sessions/\(sessions[0])", "/v1/admin/sessions/\(sessions[0])/messages", "/v1/admin/sessions/\(sessions[0])/deliveries",
                "/v1/admin/events?cursor=\(eventCursor)", "/v1/admin/events?outcome=rejected&cursor=\(eventCursor)",
                "/v1/admin/events?integration_id=demo&cursor=\(eventCursor)", "/v1/admin/events?integration_id=demo&outcome=accepted",
                "/v1/admin/events?session_id=\(sessions[0])&cursor=\(eventCursor)", "/v1/admin/events?session_id=\(sessions[0])&integration_id=demo&outcome=accepted",
                "/v1/admin/usage?integration_id=demo", "/v1/admin/integrations/demo/lint",
            ]
            for path in paths { #expect(try await client.call(.get, path, admin: true).status == .ok, "\(path)") }
            #expect(try await client.call(.delete, "/v1/admin/integrations/demo/users/user-0", admin: true).status == .ok)
            _ = try await client.message(sessions[1], "after")
        }
        let sql = Set(statements.withLockedValue { $0 }).filter { ["SELECT", "DELETE", "UPDATE", "INSERT"].contains(where: $0.uppercased().hasPrefix) }
        #expect(sql.count > 20, "the trace saw the statements")
        var checked = 0
        for statement in sql.sorted() where Self.growing.contains(where: { statement.contains($0) }) {
            let plan = try await queue.read { db in
                // Parameters stay unbound (NULL): the plan depends on the statement, not on the values.
                let explain = try db.makeStatement(sql: "EXPLAIN QUERY PLAN " + statement)
                explain.setUncheckedArguments([])
                return try Row.fetchAll(explain).map { $0["detail"] as String }
            }
            checked += 1
            for line in plan {
                // A walk of an index in list order is fine only for an unfiltered page: it stops after LIMIT rows.
                let unfilteredPage = statement.contains("LIMIT") && !statement.contains("WHERE")
                let scans = Self.growing.contains { line.hasPrefix("SCAN \($0)") && !(unfilteredPage && line.contains("USING INDEX")) }
                #expect(!scans, "\(statement)\n→ \(line)")
                // A search must constrain every filtered column through its index: a search on another index that
                // filters the rest row by row reads the whole range (the outcome filter on the time index, say).
                if line.hasPrefix("SEARCH"), !statement.contains("UNION"), !statement.contains("IN (SELECT"),
                   let table = Self.growing.first(where: { line.hasPrefix("SEARCH \($0) ") }),
                   statement.contains("FROM \"\(table)\"") || statement.contains("FROM \(table) ") || statement.contains("UPDATE \(table) ") {
                    let used = line.split(separator: "(").dropFirst().joined(separator: "(")
                    for column in Self.equalityColumns(statement) where column != "rowid" {
                        #expect(used.contains("\(column)=?"), "\(statement)\n→ \(line): \(column) is filtered outside the index")
                    }
                }
                #expect(!line.contains("USE TEMP B-TREE FOR ORDER BY") || !Self.growing.contains(where: { statement.contains("FROM \"\($0)\"") || statement.contains("FROM \($0)") }),
                        "\(statement)\n→ \(line)")
            }
        }
        #expect(checked > 15)
    }

    /// The columns a statement constrains with `column = ?` (a `+column` is kept off indexes on purpose and not counted).
    static func equalityColumns(_ statement: String) -> Set<String> {
        guard let whereRange = statement.range(of: "WHERE") else { return [] }
        let clause = String(statement[whereRange.upperBound...])
        let pattern = try! Regex(#"(^|[^+\w"])"?([a-z_]+)"?\s*(=|IN)\s*[?(]"#)
        return Set(clause.matches(of: pattern).compactMap { match in match.output[2].substring.map(String.init) })
    }

    @Test("usage is a tally that follows deletions: sessions, stored messages and active users per month")
    func usageTally() async throws {
        try await TestEmulator.run { client in
            for sub in ["a", "a", "b"] {
                let id = try #require(try await client.createSession(try TestEmulator.token(sub: sub)).json["session_id"]?.stringValue)
                _ = try await client.message(id)
            }
            _ = try await client.createSession(nil, integration: "demo")
            let usage = try await client.call(.get, "/v1/admin/usage?integration_id=demo", admin: true).json
            #expect(usage["sessions"] == .number("3") && usage["messages"] == .number("6") && usage["active_users"] == .number("2"))
            #expect(try await client.call(.delete, "/v1/admin/integrations/demo/users/a", admin: true).json["deleted_messages"] == .number("4"))
            let after = try await client.call(.get, "/v1/admin/usage?integration_id=demo", admin: true).json
            #expect(after["sessions"] == .number("1") && after["messages"] == .number("2") && after["active_users"] == .number("1"))
            let other = try await client.call(.get, "/v1/admin/usage?integration_id=demo&month=2020-01", admin: true).json
            #expect(other["sessions"] == .number("0") && other["active_users"] == .number("0"))
        }
    }

    @Test("--retain: sessions idle past the duration go with their messages, deliveries and events; fresh ones stay; usage follows")
    func retention() async throws {
        let database = try AppDatabase.open(path: ":memory:")
        let service = EmulatorService(database: database, configuration: TestEmulator.configuration())
        try await service.createDemoIfEmpty()
        let demo = try await service.integration("demo")
        let old = try await service.createSession(in: demo, token: try TestEmulator.token(sub: "old"))
        _ = try await service.postMessage("hi", token: nil, session: old, integration: demo)
        service.clock.setFixed(TestEmulator.now + 2 * 86_400)
        let fresh = try await service.createSession(in: demo, token: try TestEmulator.token(sub: "fresh", at: service.clock.now()))
        let removed = try #require(await service.sweepOnce(retain: 86_400))
        #expect(removed.sessions == 1 && removed.messages == 2 && removed.events >= 0)
        #expect(try await database.session(id: old.id) == nil)
        #expect(try await database.session(id: fresh.id) != nil)
        let events = try await database.events(integrationId: nil, sessionId: nil, outcome: nil, limit: 500, after: nil).items
        #expect(!events.contains { $0.sessionId == old.id } && events.allSatisfy { $0.at >= service.clock.now() - 86_400 })
        let month = Timestamp.month(of: TestEmulator.now)
        let usage = try await database.usage(integrationId: "demo", month: month)
        let freshMonth = Timestamp.month(of: service.clock.now())
        let freshUsage = try await database.usage(integrationId: "demo", month: freshMonth)
        #expect(month == freshMonth ? (usage.sessions == 1 && usage.activeUsers == 1) : (usage.sessions == 0 && freshUsage.sessions == 1))
        #expect(await service.sweepOnce(retain: 86_400)?.sessions == 0, "nothing left to sweep")
    }

    @Test("--retain that does not parse, or is under 60 s, stops the start naming the option")
    func retainValidation() throws {
        for value in ["30s", "soon", "-5m"] {
            let (status, output) = try CLITests.run(["serve", "--retain", value, "--db", ":memory:", "--port", "0"])
            #expect(status != 0, "\(value)")
            _ = output
        }
        #expect(EmulatorService.parseRetention("90s") == 90 && EmulatorService.parseRetention("12h") == 43_200)
        #expect(EmulatorService.parseRetention("30d") == 2_592_000 && EmulatorService.parseRetention("15m") == 900)
        #expect(EmulatorService.parseRetention("x") == nil && EmulatorService.parseRetention("0s") == nil)
    }
}

@Suite("moveo-bench growth scenario")
struct GrowthBenchTests {
    @Test("--scale N --growth-only builds both stores through the batch import and prints every request at 1,000 and N with the ratio")
    func smallScale() async throws {
        let bench = URL(fileURLWithPath: EmulatorBinary.path).deletingLastPathComponent().appendingPathComponent("moveo-bench").path
        try #require(FileManager.default.isExecutableFile(atPath: bench), "swift test builds every product")
        let (status, output) = try await Loopback.run(bench, ["--scale", "3000", "--growth-only", "--server", EmulatorBinary.path])
        #expect(status == 0, "\(output)")
        for name in Self.names { #expect(output.contains(name), "\(name)") }
        #expect(output.contains("RssAnon idle / after"))
        // Each row: a name, then three numbers (the two medians and their ratio).
        let rows = output.split(separator: "\n").filter { line in Self.names.contains { line.hasPrefix($0) } }
        #expect(rows.count == Self.names.count)
        #expect(rows.allSatisfy { $0.split(separator: " ").suffix(3).allSatisfy { Double($0) != nil } })
    }

    /// The request names the scenario prints (kept in step with Sources/moveo-bench/Growth.swift).
    static let names = [
        "GET sessions?integration_id&external_id", "GET events?outcome=rejected", "GET usage?integration_id&month",
        "DELETE integrations/…/users/…", "GET events?session_id", "GET sessions (first page)", "GET events (first page)",
        "GET integrations", "POST message (no token)", "start-up (exec to listening)",
    ]
}


