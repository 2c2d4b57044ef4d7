import ArgumentParser
import Foundation
import Logging
import MoveoEmulator
import MoveoStore

/// `moveo-emulator serve`: the service (CONTRACT §1).
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the emulator's HTTP service.")

    @Option(help: "Bind address.")
    var host = "127.0.0.1"

    @Option(help: "Port; 0 picks a free one.")
    var port = 8080

    @Option(help: "SQLite file (created and migrated on start); :memory: keeps nothing; or postgres://USER:PASSWORD@HOST:PORT/DB, which several instances may share.")
    var db = "Database/emulator.sqlite"

    @Option(name: .customLong("db-connections"), help: "With PostgreSQL: the most connections this instance opens.")
    var dbConnections = 10

    @Option(name: .customLong("db-lease-timeout"),
            help: "With PostgreSQL: seconds a request waits for a pooled connection before its answer is 503 store_unavailable.")
    var dbLeaseTimeout: Double = 5

    @Option(name: .customLong("admin-token"), help: "Admin bearer token (default: env MOVEO_EMULATOR_ADMIN_TOKEN, else the stored one).")
    var adminToken: String?

    @Option(help: "JSON fixture of integrations to create or update at start.")
    var seed: String?

    @Option(name: .customLong("max-token-lifetime"), help: "The exp ceiling, seconds ahead of now.")
    var maxTokenLifetime: Double = 300

    @Option(help: "Clock-skew allowance for exp and nbf, seconds.")
    var leeway: Double = 0

    @Flag(help: "Also accept the near-miss encodings of CONTRACT §3.8 (always diagnosed).")
    var compat = false

    @Flag(name: .customLong("strict-pinning"), help: "Refuse a changed context on a pinned session (409) instead of ignoring it.")
    var strictPinning = false

    @Option(help: "Start with a fixed clock (ISO 8601).")
    var now: String?

    @Flag(name: .customLong("no-demo"), help: "Do not create the demo integration on an empty database.")
    var noDemo = false

    @Option(name: .customLong("webhook-timeout"), help: "How long a webhook delivery may take, seconds.")
    var webhookTimeout: Double = 5

    @Option(name: .customLong("idle-timeout"), help: "Close a connection that has not completed a request for this many seconds.")
    var idleTimeout: Double = 60

    @Option(help: "Delete sessions idle longer than this, with their messages and events, and older events (90s, 12h, 30d; at least 60 s).")
    var retain: String?

    @Option(name: .customLong("account-slug"), help: "The X-Moveo-Account-Slug of webhook calls.")
    var accountSlug = "emulator"

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0 to 65535") }
        guard (1...500).contains(dbConnections) else { throw ValidationError("--db-connections must be 1 to 500") }
        guard dbLeaseTimeout >= 0.1, dbLeaseTimeout <= 600 else { throw ValidationError("--db-lease-timeout must be 0.1 to 600 seconds") }
        guard maxTokenLifetime > 0 else { throw ValidationError("--max-token-lifetime must be positive") }
        guard leeway >= 0 else { throw ValidationError("--leeway must not be negative") }
        guard webhookTimeout > 0 else { throw ValidationError("--webhook-timeout must be positive") }
        guard idleTimeout > 0, idleTimeout <= 86_400 else { throw ValidationError("--idle-timeout must be more than 0 and at most 86400 seconds") }
        if let retain {
            guard let seconds = EmulatorService.parseRetention(retain) else {
                throw ValidationError("--retain must be a duration such as 90s, 15m, 12h or 30d, not \(retain)")
            }
            guard seconds >= 60 else { throw ValidationError("--retain must be at least 60 s (got \(retain))") }
        }
        guard !accountSlug.isEmpty, accountSlug.utf8.count <= 128, accountSlug.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw ValidationError("--account-slug must be 1 to 128 visible ASCII characters")
        }
        if let now, Timestamp.parse(now) == nil { throw ValidationError("--now must be ISO 8601, e.g. 2026-01-01T00:00:00Z") }
    }

    func run() async throws {
        LoggingSystem.bootstrap(StreamLogHandler.standardOutput)
        var configuration = EmulatorConfiguration()
        configuration.host = host
        configuration.port = port
        configuration.databasePath = db
        configuration.databaseConnections = dbConnections
        configuration.databaseLeaseTimeout = dbLeaseTimeout
        configuration.adminToken = adminToken ?? ProcessInfo.processInfo.environment["MOVEO_EMULATOR_ADMIN_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        configuration.seedFile = seed
        configuration.maxTokenLifetime = maxTokenLifetime
        configuration.leeway = leeway
        configuration.compat = compat
        configuration.strictPinning = strictPinning
        configuration.fixedNow = now.flatMap(Timestamp.parse)
        configuration.createDemo = !noDemo
        configuration.webhookTimeout = webhookTimeout
        configuration.accountSlug = accountSlug
        configuration.idleTimeout = idleTimeout
        configuration.retain = retain.flatMap(EmulatorService.parseRetention)
        do {
            try await runEmulator(configuration)
        } catch let failure as SeedFile.Failure {
            throw ValidationError(failure.description)
        } catch let failure as StoreOpenError {
            FileHandle.standardError.write(Data("error: \(failure.description)\n".utf8))
            throw ExitCode.failure
        }
    }
}
