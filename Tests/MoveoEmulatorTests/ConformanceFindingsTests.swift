import MoveoAuth
@testable import MoveoEmulator
import Testing

/// What a schemathesis run over /openapi.json found (CONTRACT §11), each fixed and kept fixed.
@Suite("Conformance findings")
struct ConformanceFindingsTests {
    @Test("a clock offset beyond a century is invalid_request (it crashed the process when the time was printed)")
    func hugeOffset() async throws {
        try await TestEmulator.run(setup: .ahc(.http)) { client in
            for offset in ["1e300", "-1e300", "3155760001"] {
                let refused = try await client.call(.put, "/v1/admin/clock", #"{"offset_seconds":\#(offset)}"#, admin: true)
                #expect(refused.status == .badRequest && refused.code == "invalid_request", "\(offset)")
            }
            #expect(try await client.call(.put, "/v1/admin/clock", #"{"offset_seconds":3155760000}"#, admin: true).status == .ok)
            #expect(try await client.call(.get, "/v1/admin/clock", admin: true).status == .ok)
            #expect(try await client.call(.get, "/health").status == .ok, "the process is alive")
        }
    }

    @Test("a 405 names the route's methods in Allow (RFC 9110 §15.5.6)")
    func allowHeader() async throws {
        try await TestEmulator.run { client in
            let admin = try await client.call(.post, "/v1/admin/integrations/demo/public-key", admin: true)
            #expect(admin.status == .methodNotAllowed && admin.headers[.allow] == "PUT")
            let webchat = try await client.call(.post, "/v1/webchat/sessions/s_x/locale")
            #expect(webchat.status == .methodNotAllowed && webchat.headers[.allow] == "PUT, OPTIONS")
            #expect(try await client.call(.put, "/v1/admin/clock/x", admin: true).code == "not_found")
        }
    }

    @Test("any cursor of the documented form gives a page, never an error: forged bits (NaN, infinities) included")
    func forgedCursors() async throws {
        try await TestEmulator.run { client in
            _ = try await client.createSession(try TestEmulator.token())
            for cursor in ["7ff8000000000000.a", "fff0000000000000.z", "7ff0000000000000.s_", "0.x"] {
                for list in ["sessions", "events"] {
                    let page = try await client.call(.get, "/v1/admin/\(list)?cursor=\(cursor)", admin: true)
                    #expect(page.status == .ok, "\(list) \(cursor): \(page.raw)")
                }
            }
            #expect(try await client.call(.get, "/v1/admin/sessions?cursor=nope", admin: true).code == "invalid_request")
        }
    }
}
