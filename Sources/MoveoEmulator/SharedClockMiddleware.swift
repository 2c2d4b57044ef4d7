import Hummingbird
import MoveoStore

/// With a shared store (CONTRACT §12): before each request, the clock takes the setting stored by whichever instance set
/// it last, so `PUT /v1/admin/clock` on one instance applies to all of them at once. One indexed read per request.
struct SharedClockMiddleware<Context: RequestContext>: RouterMiddleware {
    let service: EmulatorService

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        service.clock.apply(setting: try await service.database.clockSetting())
        return try await next(request, context)
    }
}

extension EmulatorService {
    /// Stores the clock's setting for the other instances when the store is shared (nothing to do with a SQLite file).
    func shareClock() async throws {
        guard database.isShared else { return }
        try await database.setClockSetting(clock.setting)
    }
}
