import Foundation
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
            let reply = try await client.call(.get, "/health")
            #expect(reply.status == .ok, "the process is alive")
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
            // Methods the router has no table entry for (TRACE, the draft QUERY, WebDAV's PROPFIND) are 405 too, not 404.
            for method in ["TRACE", "QUERY", "PROPFIND"] {
                let other = try await client.call(.init(method)!, "/health")
                #expect(other.status == .methodNotAllowed && other.code == "method_not_allowed" && other.headers[.allow] == "GET, OPTIONS", "\(method)")
                let templated = try await client.call(.init(method)!, "/v1/admin/integrations/demo/webhooks/wh_1", admin: true)
                #expect(templated.headers[.allow] == "PATCH, DELETE", "\(method)")
            }
            #expect(try await client.call(.init("QUERY")!, "/nowhere").code == "not_found")
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
            let reply = try await client.call(.get, "/v1/admin/sessions?cursor=", admin: true)
            #expect(reply.status == .ok, "empty is no cursor")
            // Outside the documented grammar: refused, as the document says (a sign, upper-case hex, 17 digits, a foreign id).
            for cursor in ["nope", "+1.abc", "7FF.abc", "00000000000000000.a", "0.a%21b", "0."] {
                let reply = try await client.call(.get, "/v1/admin/sessions?cursor=\(cursor)", admin: true)
                #expect(reply.code == "invalid_request", "\(cursor)")
            }
        }
    }

    @Test("usage months are four digits, a dash, 01 to 12: any year 0000–9999, no sign")
    func usageMonths() async throws {
        try await TestEmulator.run { client in
            for month in ["0048-10", "1969-12", "9999-12"] {
                let reply = try await client.call(.get, "/v1/admin/usage?integration_id=demo&month=\(month)", admin: true)
                #expect(reply.status == .ok, "\(month)")
            }
            for month in ["+123-01", "2026-13", "2026-00", "2026-1", "２０２６-01"] {
                let encoded = month.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? month
                let reply = try await client.call(.get, "/v1/admin/usage?integration_id=demo&month=\(encoded)", admin: true)
                #expect(reply.code == "invalid_request", "\(month)")
            }
        }
    }

    @Test("webhook URLs follow the document's pattern exactly: http(s), a host, a port, RFC 3986 characters")
    func webhookURLs() {
        for good in ["http://127.0.0.1:9/x", "HTTPS://example.com", "http://a.b-c:65535/p?q=1&r=%2F#frag", "http://h/~user/(x)"] {
            #expect(EmulatorService.isValidWebhookURL(good), "\(good)")
        }
        for bad in ["ftp://x", "http://", "http:///x", "http://h:/x", "http://h:123456/", "http://h x/", "http://h/a b", "http://h/%zz",
                    "http://h/é", "http://[::1]/", "http://user@h/", "http://h\\x", "//h/x", "http://h/" + String(repeating: "a", count: 2048)] {
            #expect(!EmulatorService.isValidWebhookURL(bad), "\(bad)")
        }
    }

    @Test("lengths count characters (Unicode scalars) as JSON Schema does: a 256-scalar name of 4-byte characters is accepted")
    func lengthsInCharacters() async throws {
        try await TestEmulator.run { client in
            let long = String(repeating: "😀", count: 256)
            let accepted = try await client.call(.patch, "/v1/admin/integrations/demo", #"{"name":"\#(long)"}"#, admin: true)
            #expect(accepted.status == .ok)
            let refused = try await client.call(.patch, "/v1/admin/integrations/demo", #"{"name":"\#(long)x"}"#, admin: true)
            #expect(refused.code == "invalid_request")
            let webhook = #"{"name":"w","type":"dialog","url":"http://127.0.0.1:9/w","custom_headers":{"X-Long":"\#(String(repeating: "é", count: 1024))"}}"#
            let created = try await client.call(.post, "/v1/admin/integrations/demo/webhooks", webhook, admin: true)
            #expect(created.status == .created)
        }
    }
}
