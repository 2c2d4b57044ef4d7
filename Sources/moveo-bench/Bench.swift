import ArgumentParser
import Foundation
import MoveoAuth

/// `moveo-bench`: the service measured against the RSA floor in the same run (issue 5).
@main
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "moveo-bench",
        abstract: "Measure the floor (RSA/AES via the same OpenSSL), the in-process pipeline, the HTTP service, start-up and memory.",
        discussion: "Build first with `swift build -c release`, then `swift run -c release moveo-bench`."
    )

    @Flag(help: "Print machine-readable results as JSON.") var json = false
    @Option(help: "Concurrent keep-alive connections.") var connections = 8
    @Option(help: "Session creations with a context.") var sessions = 4000
    @Option(help: "Messages per message scenario (and GET /health requests).") var messages = 12000
    @Option(help: "Iterations of the private-key floor (verifications run 20 times as many).") var iterations = 300
    @Option(name: .customLong("startup-runs"), help: "Start-ups per case (the median is reported).") var startupRuns = 10
    @Option(help: "The moveo-emulator binary (default: beside this one).") var server: String?
    @Flag(name: .customLong("no-openssl-speed"), help: "Skip `openssl speed rsa2048`.") var noOpenSSLSpeed = false
    @Option(help: "Also run the growth scenario: the admin requests at 1,000 sessions and at this many (the full run uses 1000000).")
    var scale = 0
    @Flag(name: .customLong("growth-only"), help: "Run only the growth scenario (with --scale).") var growthOnly = false
    @Option(help: ArgumentHelp("Also run the HTTP scenarios on PostgreSQL: a postgres:// URL of a database on a server where the benchmark may create (and then drops) its own database.", valueName: "url"))
    var db: String?

    func run() async throws {
        let binary = server ?? URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("moveo-emulator").path
        guard FileManager.default.isExecutableFile(atPath: binary) else { throw BenchError.missingBinary(binary) }
        let keys = try BenchKeys.make()
        defer { try? FileManager.default.removeItem(at: keys.folder) }
        if growthOnly {
            guard scale > 1000 else { throw BenchError.requestFailed("--growth-only needs --scale over 1000") }
            print(try await growthTable())
            return
        }
        var report = Report()
        log("floor and in-process pipeline (\(iterations) private operations)…")
        report.floor = try Floor.measure(keys: keys, iterations: iterations)
        if !noOpenSSLSpeed { report.opensslSpeed = OpenSSLSpeed.run() }

        log("HTTP service: \(sessions) sessions, \(messages) messages ×2, \(connections) connections…")
        let database = keys.folder.appendingPathComponent("bench.sqlite").path
        let arguments = ["--db", database, "--seed", keys.seedPath, "--admin-token", "bench-admin", "--no-demo", "--max-token-lifetime", "3600"]
        try await withServer(binary, arguments) { process, load in
            report.rssIdle = process.residentMiB
            report.load = try await runLoad(load, process: process, keys: keys)
            report.rssAfterLoad = process.residentMiB
        }
        if let db { try await postgresLoad(db, arguments: arguments, binary: binary, keys: keys, report: &report) }

        log("start-up, median of \(startupRuns)…")
        report.startupEmpty = try Measure.median((0..<startupRuns).map { run in
            let path = keys.folder.appendingPathComponent("empty-\(run).sqlite").path
            let started = try ServerProcess(binary: binary, arguments: ["--db", path, "--admin-token", "x"], workingDirectory: FileManager.default.currentDirectoryPath)
            started.stop()
            return started.startup
        })
        report.startupExisting = try Measure.median((0..<startupRuns).map { _ in
            let started = try ServerProcess(binary: binary, arguments: arguments, workingDirectory: FileManager.default.currentDirectoryPath)
            started.stop()
            return started.startup
        })
        print(json ? report.json : report.table)
        if scale > 1000 { print(try await growthTable()) }
    }

    /// The growth scenario's table: each request at 1,000 sessions and at `scale`, the ratio (target ≤ 2), and RssAnon.
    private func growthTable() async throws -> String {
        let binary = server ?? URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("moveo-emulator").path
        let keys = try BenchKeys.make()
        defer { try? FileManager.default.removeItem(at: keys.folder) }
        let (rows, small, large) = try await Growth(binary: binary, keys: keys, scale: scale, log: log).run()
        var lines = ["", "growth (median of 20, ms)                  1,000 sessions  \(scale) sessions   ratio (target ≤ 2)"]
        for row in rows {
            lines.append(row.name.padding(toLength: 42, withPad: " ", startingAt: 0) + String(format: " %14.2f %16.2f %8.2f", row.small, row.large, row.ratio))
        }
        lines.append(String(format: "RssAnon idle / after: %.1f / %.1f MiB at 1,000; %.1f / %.1f MiB at %d (targets ≤ 8 idle, ≤ 64 after)",
                            small.rssAnonIdle, small.rssAnonAfter, large.rssAnonIdle, large.rssAnonAfter, scale))
        return lines.joined(separator: "\n")
    }

    /// The same HTTP scenarios on a fresh PostgreSQL database, with the server's WAL flushes and CPU per scenario.
    private func postgresLoad(_ db: String, arguments: [String], binary: String, keys: BenchKeys, report: inout Report) async throws {
        let postgres = try await PostgresBench.create(db)
        log("HTTP service on PostgreSQL (\(postgres.settings), database \(postgres.name))…")
        var replaced = arguments
        if let index = replaced.firstIndex(of: "--db") { replaced[index + 1] = postgres.url }
        do {
            try await withServer(binary, replaced) { process, load in
                report.postgresLoad = try await runLoad(load, process: process, keys: keys, postgres: postgres)
                report.postgresSettings = postgres.settings
                report.postgresRSS = process.residentMiB
            }
        } catch {
            await postgres.drop()
            throw error
        }
        await postgres.drop()
    }

    /// Starts the server with `arguments`, lets it settle, runs `body` with it and a load client, and stops both.
    private func withServer(_ binary: String, _ arguments: [String], _ body: (ServerProcess, HTTPLoad) async throws -> Void) async throws {
        let process = try ServerProcess(binary: binary, arguments: arguments, workingDirectory: FileManager.default.currentDirectoryPath)
        usleep(300_000)
        let load = HTTPLoad(port: process.port, connections: connections)
        do {
            try await body(process, load)
        } catch {
            try? await load.shutdown()
            process.stop()
            throw error
        }
        try await load.shutdown()
        process.stop()
    }

    private func runLoad(_ load: HTTPLoad, process: ServerProcess, keys: BenchKeys, postgres: PostgresBench? = nil) async throws -> [LoadResult] {
        let signer = TokenSigner(signingKey: keys.customer, platformKey: keys.platform.publicKey)
        let now = Date().timeIntervalSince1970
        log("  minting \(sessions + messages) tokens…")
        let contextTokens = try (0..<sessions).map { try signer.identityToken(issuer: "bench", subject: "user-\($0)", now: now, ttl: 3000, context: BenchKeys.context) }
        var sessionIds: [String] = []
        for worker in 0..<connections {
            sessionIds.append(try await load.createSession(token: try signer.identityToken(issuer: "bench", subject: "chat-\(worker)", now: now, ttl: 3000)))
        }
        let freshTokens = try (0..<messages).map { try signer.identityToken(issuer: "bench", subject: "chat-\($0 % connections)", now: now, ttl: 3000) }
        let ids = sessionIds, workers = connections
        var results: [LoadResult] = []
        // With PostgreSQL, each scenario is bracketed by the server's counters (read after its statistics settle).
        func phase(_ run: () async throws -> LoadResult) async throws {
            guard let postgres else { return results.append(try await run()) }
            try await postgres.settle()
            let before = try await postgres.snapshot()
            var result = try await run()
            try await postgres.settle()
            let after = try await postgres.snapshot()
            if !after.cpu.isEmpty { result.databaseCPUPerOp = PostgresBench.cpu(from: before, to: after) / Double(result.operations) }
            result.walSyncs = after.walSyncs - before.walSyncs
            results.append(result)
        }
        try await phase { try await load.run(Report.httpFloorName, server: process, count: messages, expect: 200,
                                             path: { _ in "/health" }, body: nil) }
        try await phase { try await load.run("session with context", server: process, count: sessions, expect: 201,
                                             path: { _ in "/v1/webchat/bench/sessions" }, body: { #"{"identity_token":"\#(contextTokens[$0])"}"# }) }
        try await phase { try await load.run("message, no token", server: process, count: messages, expect: 201,
                                             path: { "/v1/webchat/sessions/\(ids[$0 % workers])/messages" }, body: { _ in #"{"text":"hello there"}"# }) }
        try await phase { try await load.run("message, fresh token", server: process, count: messages, expect: 201,
                                             path: { "/v1/webchat/sessions/\(ids[$0 % workers])/messages" },
                                             body: { #"{"text":"hello there","identity_token":"\#(freshTokens[$0])"}"# }) }
        return results
    }

    private func log(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
