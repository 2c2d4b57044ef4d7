import Foundation
import Logging
import MoveoPostgres
import NIOSSL
import PostgresNIO

/// `moveo-bench --db postgres://…` (issue 16): a fresh database on that server for the HTTP scenarios, and what the
/// server did for them — WAL flushes (how many acknowledged writes share one, PostgreSQL's own group commit) and the
/// CPU of its processes when it runs on this machine.
struct PostgresBench {
    /// The database the emulator runs on, as a URL with its password (given to the child process only).
    let url: String
    /// That database's name (dropped by `drop()`).
    let name: String
    /// The server's version and durability settings, for the table's heading.
    let settings: String
    private let admin: PostgresConnection.Configuration
    private static let logger = Logger(label: "moveo-bench")

    /// What the server had done by some moment: WAL flushes and writes, and its local processes' CPU seconds by pid.
    struct Snapshot {
        var walSyncs = 0, walWrites = 0
        var cpu: [Int32: Double] = [:]
    }

    /// Creates `moveo_bench_<random>` on the server `given` names (its own database is used only to connect).
    static func create(_ given: String) async throws -> PostgresBench {
        guard let parsed = PostgresURL(given) else { throw BenchError.requestFailed("--db is not a postgres:// URL") }
        let tls: PostgresConnection.Configuration.TLS = parsed.sslMode == "disable" ? .disable
            : .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
        let admin = PostgresConnection.Configuration(host: parsed.host, port: parsed.port, username: parsed.username, password: parsed.password,
                                                     database: parsed.database, tls: tls)
        let name = "moveo_bench_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(12)
        let settings = try await with(admin) { connection in
            try await connection.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: logger)
            var text = ""
            for try await (version, fsync, commit) in try await connection.query(
                "SELECT current_setting('server_version'), current_setting('fsync'), current_setting('synchronous_commit')", logger: logger
            ).decode((String, String, String).self) {
                text = "PostgreSQL \(version), fsync=\(fsync), synchronous_commit=\(commit)"
            }
            return text
        }
        let password = parsed.password.map { ":" + ($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? $0) } ?? ""
        let url = "postgres://\(parsed.username)\(password)@\(parsed.host):\(parsed.port)/\(name)?sslmode=\(parsed.sslMode)"
        return PostgresBench(url: url, name: name, settings: settings, admin: admin)
    }

    /// The server's counters now. Backends report their statistics when idle, at most 10 s late: call after `settle()`.
    func snapshot() async throws -> Snapshot {
        var snapshot = Snapshot()
        (snapshot.walSyncs, snapshot.walWrites) = try await Self.with(admin) { connection in
            var counters = (0, 0)
            for try await row in try await connection.query("SELECT wal_sync, wal_write FROM pg_stat_wal", logger: Self.logger)
                .decode((Int, Int).self) { counters = row }
            return counters
        }
        snapshot.cpu = Self.localServerCPU()
        return snapshot
    }

    /// Waits out PostgreSQL's statistics delay (idle backends flush theirs within 10 s).
    func settle() async throws {
        try await Task.sleep(for: .seconds(11))
    }

    /// Drops the benchmark's database.
    func drop() async {
        _ = try? await Self.with(admin) { connection in
            try await connection.query(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"), logger: Self.logger)
        }
    }

    /// CPU seconds of every process named `postgres` on this machine, by pid (empty when the server is elsewhere).
    static func localServerCPU() -> [Int32: Double] {
        var result: [Int32: Double] = [:]
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = Int32(entry),
                  let name = try? String(contentsOfFile: "/proc/\(entry)/comm", encoding: .utf8),
                  name.trimmingCharacters(in: .whitespacesAndNewlines) == "postgres" else { continue }
            result[pid] = Measure.processCPU(pid)
        }
        return result
    }

    /// CPU seconds the server's processes spent between two snapshots (a process that started since counts from zero).
    static func cpu(from start: Snapshot, to end: Snapshot) -> Double {
        end.cpu.reduce(0) { total, entry in total + max(0, entry.value - (start.cpu[entry.key] ?? 0)) }
    }

    private static func with<T: Sendable>(_ configuration: PostgresConnection.Configuration,
                                          _ body: @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        let connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
        do {
            let value = try await body(connection)
            try await connection.close()
            return value
        } catch {
            try? await connection.close()
            throw error
        }
    }
}
