import Hummingbird
import MoveoAuth

/// The emulator's clock, so tests move time instead of sleeping (CONTRACT §5).
struct AdminClockController<Context: RequestContext> {
    let service: EmulatorService

    /// The largest clock offset, seconds (100 years).
    static var maxOffset: Double { 3_155_760_000 }

    func addRoutes(to group: RouterGroup<Context>, table: RouteTable<Context>) {
        table.note("/v1/admin/clock", .get)
        group.get("clock") { _, _ in clock() }

        table.note("/v1/admin/clock", .put)
        group.put("clock") { request, _ in
            let fields = try await RequestBody.read(request).requiredFields()
            let now = try fields.string("now")
            let offset = try fields.double("offset_seconds")
            switch (now, offset) {
            case (let text?, nil):
                guard let time = Timestamp.parse(text) else { throw Problem.invalidRequest("now must be an RFC 3339 time, e.g. 2026-01-01T00:00:00Z") }
                service.clock.setFixed(time)
            case (nil, let seconds?):
                // A century either way: far enough for any test, and every time it makes stays printable.
                guard abs(seconds) <= Self.maxOffset else {
                    throw Problem.invalidRequest("offset_seconds must be within ±\(Int(Self.maxOffset)) (a century)")
                }
                service.clock.setOffset(seconds)
            default:
                throw Problem.invalidRequest("send exactly one of now and offset_seconds")
            }
            try await service.shareClock()
            return clock()
        }

        table.note("/v1/admin/clock", .delete)
        group.delete("clock") { _, _ in
            service.clock.reset()
            try await service.shareClock()
            return clock()
        }
    }

    private func clock() -> JSONResponse {
        JSONResponse(.object([("now", .time(service.clock.now())), ("mode", .string(service.clock.mode.rawValue))]))
    }
}
