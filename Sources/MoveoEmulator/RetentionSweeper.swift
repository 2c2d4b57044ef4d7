import Logging
import MoveoStore
import ServiceLifecycle

/// `--retain DURATION` (CONTRACT §13): a background sweep, at least once a minute, of what is older than the duration.
struct RetentionSweeper: Service {
    let service: EmulatorService
    /// How long data is kept, seconds.
    let retain: Double

    /// How often it sweeps: every minute, or every quarter of the duration when that is shorter.
    var interval: Double { min(60, retain / 4) }

    /// Sweeps once at start, then every `interval` until the application shuts down.
    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await service.sweepOnce(retain: retain)
                try? await Task.sleep(for: .milliseconds(Int64(interval * 1000)))
            }
        }
    }
}

extension EmulatorService {
    /// One sweep at the emulator's clock; a failure is logged and the next sweep tries again.
    ///
    /// With a shared store the clock first takes the stored setting (another instance may have set it since this one's
    /// last request). Every instance sweeps; PostgreSQL's `FOR UPDATE SKIP LOCKED` keeps two sweeps off each other's rows.
    @discardableResult
    public func sweepOnce(retain: Double) async -> (sessions: Int, messages: Int, events: Int)? {
        do {
            if database.isShared { clock.apply(setting: try await database.clockSetting()) }
            let removed = try await database.sweep(before: clock.now() - retain)
            if removed.sessions + removed.events > 0 {
                logger.info("retention sweep: \(removed.sessions) sessions, \(removed.messages) messages, \(removed.events) events deleted")
            }
            return removed
        } catch {
            logger.error("retention sweep failed", metadata: ["error": "\(type(of: error))"])
            return nil
        }
    }

    /// A duration of `--retain`: `90s`, `15m`, `12h`, `30d` or a number of seconds; nil when it does not parse.
    public static func parseRetention(_ text: String) -> Double? {
        let units: [(String, Double)] = [("s", 1), ("m", 60), ("h", 3600), ("d", 86_400)]
        for (suffix, factor) in units where text.hasSuffix(suffix) {
            guard let value = Double(text.dropLast()), value.isFinite, value > 0 else { return nil }
            return value * factor
        }
        guard let value = Double(text), value.isFinite, value > 0 else { return nil }
        return value
    }
}
