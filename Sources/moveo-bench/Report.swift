import Foundation
import MoveoAuth

/// Everything one benchmark run measured, as a table or as JSON.
struct Report {
    var floor = Floor()
    var opensslSpeed: OpenSSLSpeed?
    var load: [LoadResult] = []
    var rssIdle = 0.0, rssAfterLoad = 0.0
    var startupEmpty = 0.0, startupExisting = 0.0
    /// With `--db postgres://…`: the same scenarios on PostgreSQL, the server's settings, and the emulator's RSS after them.
    var postgresLoad: [LoadResult] = []
    var postgresSettings = ""
    var postgresRSS = 0.0

    private func us(_ seconds: Double) -> String { String(format: "%.1f µs", seconds * 1e6) }
    private func ms(_ seconds: Double) -> String { String(format: "%.2f ms", seconds * 1e3) }

    /// The scenario that measures the HTTP stack alone (router, middleware, log line, a small JSON answer).
    static let httpFloorName = "GET /health (HTTP alone)"

    /// The server CPU per request of the HTTP stack alone, when measured.
    var httpFloor: Double? { load.first { $0.name == Self.httpFloorName }?.serverCPUPerOp }

    /// The floor each scenario is compared with.
    func floorOf(_ result: LoadResult) -> (Double, String) {
        switch result.name {
        case "session with context": (floor.contextFloor, "2 RSA private + 1 verify")
        case "message, fresh token": (floor.verify, "1 RSA verify")
        default: (floor.verify, "1 RSA verify")
        }
    }

    var table: String {
        var lines: [String] = []
        lines.append("## Floor (same OpenSSL, this process, CPU per operation)")
        lines.append("| operation | CPU |")
        lines.append("|---|---|")
        lines.append("| RSA-2048 OAEP-SHA-256 private decrypt | \(us(floor.privateDecrypt)) |")
        lines.append("| RS256 verify (RSA-2048) | \(us(floor.verify)) |")
        lines.append("| AES-256-CBC decrypt, 1 KiB | \(us(floor.aesDecrypt)) |")
        if let speed = opensslSpeed {
            lines.append("| `openssl speed rsa2048`: sign (private op) | \(us(1 / speed.signPerSecond)) |")
            lines.append("| `openssl speed rsa2048`: verify | \(us(1 / speed.verifyPerSecond)) |")
        }
        lines.append("")
        lines.append("## In-process pipeline (TokenVerifier, CPU per token)")
        lines.append("| token | CPU | floor | ratio |")
        lines.append("|---|---|---|---|")
        lines.append("| verify only | \(us(floor.pipelineVerifyOnly)) | \(us(floor.verify)) | \(String(format: "%.2f", floor.pipelineVerifyOnly / floor.verify)) |")
        lines.append("| with context | \(us(floor.pipelineWithContext)) | \(us(floor.contextFloor)) | \(String(format: "%.2f", floor.pipelineWithContext / floor.contextFloor)) |")
        lines.append("")
        lines.append("## HTTP service (release build, real SQLite file)")
        lines.append("| scenario | ops | throughput | p50 | p99 | server CPU/op | floor | ratio | beyond floor + HTTP alone |")
        lines.append("|---|---|---|---|---|---|---|---|---|")
        for result in load {
            let row = "| \(result.name) | \(result.operations) | \(String(format: "%.0f/s", result.throughput)) | \(ms(result.p50)) | \(ms(result.p99)) | \(us(result.serverCPUPerOp)) |"
            guard result.name != Self.httpFloorName else {
                lines.append(row + " — | — | — |")
                continue
            }
            let (floorValue, floorName) = floorOf(result)
            let beyond = httpFloor.map { us(result.serverCPUPerOp - floorValue - $0) } ?? "—"
            lines.append(row + " \(floorName) = \(us(floorValue)) | \(String(format: "%.2f", result.serverCPUPerOp / floorValue)) | \(beyond) |")
        }
        lines.append(contentsOf: targetLines)
        lines.append(contentsOf: postgresLines)
        lines.append("")
        lines.append("## Start-up and memory")
        lines.append("| figure | value |")
        lines.append("|---|---|")
        lines.append("| exec → `listening on`, empty database (median) | \(ms(startupEmpty)) |")
        lines.append("| exec → `listening on`, existing database (median) | \(ms(startupExisting)) |")
        lines.append("| RSS idle | \(String(format: "%.1f MiB", rssIdle)) |")
        lines.append("| RSS after the load | \(String(format: "%.1f MiB", rssAfterLoad)) |")
        return lines.joined(separator: "\n")
    }

    /// The PostgreSQL section: each scenario beside its SQLite figures, the database server's own CPU, and how many
    /// acknowledged writes shared one WAL flush (PostgreSQL's group commit; "—" when fsync is off and nothing is flushed).
    var postgresLines: [String] {
        guard !postgresLoad.isEmpty else { return [] }
        var lines = ["", "## HTTP service on PostgreSQL (\(postgresSettings); release build, same scenarios, a fresh database)",
                     "| scenario | ops | throughput | p50 | p99 | emulator CPU/op | ÷ SQLite's | database CPU/op | WAL flushes | writes per flush |",
                     "|---|---|---|---|---|---|---|---|---|---|"]
        for result in postgresLoad {
            let sqlite = load.first { $0.name == result.name }?.serverCPUPerOp
            let ratio = sqlite.map { String(format: "%.2f", result.serverCPUPerOp / $0) } ?? "—"
            let database = result.databaseCPUPerOp.map { us($0) } ?? "— (not on this machine)"
            let syncs = result.walSyncs.map(String.init) ?? "—"
            let writes = result.name == Self.httpFloorName ? "— (reads only)"
                : (result.walSyncs ?? 0) > 0 ? String(format: "%.1f", Double(result.operations) / Double(result.walSyncs!)) : "—"
            lines.append("| \(result.name) | \(result.operations) | \(String(format: "%.0f/s", result.throughput)) | \(ms(result.p50)) | \(ms(result.p99)) | "
                         + "\(us(result.serverCPUPerOp)) | \(ratio) | \(database) | \(syncs) | \(writes) |")
        }
        lines.append(String(format: "Emulator RSS after the PostgreSQL load: %.1f MiB. GET /health on PostgreSQL includes the per-request read of the shared clock.", postgresRSS))
        return lines
    }

    /// CONTRACT §13's request-path targets, as ratios measured in this run.
    var targetLines: [String] {
        func cpu(_ name: String) -> Double? { load.first { $0.name == name }?.serverCPUPerOp }
        guard let health = cpu(Self.httpFloorName) else { return [] }
        var rows: [(String, Double, Double)] = []
        if let session = cpu("session with context") { rows.append(("session with context ÷ (2 RSA private + 1 verify)", session / floor.contextFloor, 1.30)) }
        if let plain = cpu("message, no token") { rows.append(("message, no token ÷ GET /health", plain / health, 2.5)) }
        if let fresh = cpu("message, fresh token") { rows.append(("message, fresh token ÷ (GET /health + 1 verify)", fresh / (health + floor.verify), 2.5)) }
        var lines = ["", "## Request-path targets (CONTRACT §13, server CPU per operation)", "| ratio | measured | target | |", "|---|---|---|---|"]
        for (name, value, target) in rows {
            lines.append("| \(name) | \(String(format: "%.2f", value)) | ≤ \(String(format: "%.2f", target)) | \(value <= target ? "met" : "missed") |")
        }
        return lines
    }

    var json: String {
        func number(_ value: Double) -> JSONValue { .number(String(format: "%.9g", value)) }
        var object: [(String, JSONValue)] = [
            ("floor", .object([("rsa_private_decrypt_s", number(floor.privateDecrypt)), ("rs256_verify_s", number(floor.verify)),
                               ("aes256cbc_1kib_decrypt_s", number(floor.aesDecrypt))])),
            ("pipeline", .object([("verify_only_s", number(floor.pipelineVerifyOnly)), ("with_context_s", number(floor.pipelineWithContext))])),
            ("http", .array(load.map { result in
                .object([("scenario", .string(result.name)), ("operations", .number(String(result.operations))), ("throughput_per_s", number(result.throughput)),
                         ("p50_s", number(result.p50)), ("p99_s", number(result.p99)), ("server_cpu_per_op_s", number(result.serverCPUPerOp)),
                         ("ratio_to_floor", result.name == Self.httpFloorName ? .null : number(result.serverCPUPerOp / floorOf(result).0))])
            })),
            ("http_postgres", .array(postgresLoad.map { result in
                .object([("scenario", .string(result.name)), ("operations", .number(String(result.operations))), ("throughput_per_s", number(result.throughput)),
                         ("p50_s", number(result.p50)), ("p99_s", number(result.p99)), ("server_cpu_per_op_s", number(result.serverCPUPerOp)),
                         ("database_cpu_per_op_s", result.databaseCPUPerOp.map(number) ?? .null),
                         ("wal_syncs", result.walSyncs.map { .number(String($0)) } ?? .null)])
            })),
            ("startup_empty_s", number(startupEmpty)), ("startup_existing_s", number(startupExisting)),
            ("rss_idle_mib", number(rssIdle)), ("rss_after_load_mib", number(rssAfterLoad)),
        ]
        if let speed = opensslSpeed {
            object.append(("openssl_speed", .object([("sign_per_s", number(speed.signPerSecond)), ("verify_per_s", number(speed.verifyPerSecond))])))
        }
        return JSONWriter.string(.object(object))
    }
}
