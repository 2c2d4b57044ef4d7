import MoveoAuth
import MoveoEmulator
import Testing

/// CONTRACT §5: sessions, transcripts, users, events, usage, reset, clock.
@Suite("Admin API: records and clock")
struct AdminRecordsTests {
    @Test("sessions list newest first with filters and a cursor; limit over 500 is invalid_request")
    func sessions() async throws {
        try await TestEmulator.run { client in
            for sub in ["a", "b", "c", "a"] { _ = try await client.createSession(try TestEmulator.token(sub: sub)) }
            let all = try await client.call(.get, "/v1/admin/sessions?limit=3", admin: true)
            #expect(all.json["sessions"]?.arrayValues.count == 3)
            let cursor = try #require(all.json["next_cursor"]?.stringValue)
            let rest = try await client.call(.get, "/v1/admin/sessions?limit=3&cursor=\(cursor)", admin: true)
            #expect(rest.json["sessions"]?.arrayValues.count == 1 && rest.json["next_cursor"] == .null)
            let ids = (all.json["sessions"]!.arrayValues + rest.json["sessions"]!.arrayValues).compactMap { $0["session_id"]?.stringValue }
            #expect(Set(ids).count == 4 && ids == ids.sorted(by: >))
            #expect(try await client.call(.get, "/v1/admin/sessions?external_id=a", admin: true).json["sessions"]?.arrayValues.count == 2)
            #expect(try await client.call(.get, "/v1/admin/sessions?limit=501", admin: true).code == "invalid_request")
            #expect(try await client.call(.get, "/v1/admin/sessions?limit=500", admin: true).status == .ok)
            #expect(try await client.call(.get, "/v1/admin/sessions?cursor=zzz", admin: true).code == "invalid_request")
            #expect(try await client.call(.get, "/v1/admin/events?outcome=maybe", admin: true).code == "invalid_request")
        }
    }

    @Test("a transcript holds both roles in order and message_count counts them")
    func transcript() async throws {
        try await TestEmulator.run { client in
            let id = try await client.createSession(try TestEmulator.token()).json["session_id"]!.stringValue!
            _ = try await client.message(id, "one")
            _ = try await client.message(id, "two")
            let messages = try await client.call(.get, "/v1/admin/sessions/\(id)/messages", admin: true).json["messages"]!.arrayValues
            #expect(messages.map { $0["role"]!.stringValue! } == ["user", "assistant", "user", "assistant"])
            #expect(messages[2]["text"] == .string("two"))
            #expect(try await client.call(.get, "/v1/admin/sessions/\(id)", admin: true).json["message_count"] == .number("4"))
            #expect(try await client.call(.get, "/v1/admin/sessions/nope/messages", admin: true).code == "session_not_found")
        }
    }

    @Test("deleting a user (percent-encoded) removes their sessions, messages and events, and counts them")
    func deleteUser() async throws {
        try await TestEmulator.run { client in
            let id = try await client.createSession(try TestEmulator.token(sub: "a/b c")).json["session_id"]!.stringValue!
            _ = try await client.createSession(try TestEmulator.token(sub: "other"))
            _ = try await client.message(id)
            let deleted = try await client.call(.delete, "/v1/admin/integrations/demo/users/a%2Fb%20c", admin: true)
            #expect(deleted.raw == #"{"deleted_sessions":1,"deleted_messages":2}"#)
            let events = try await client.call(.get, "/v1/admin/events", admin: true).json["events"]!.arrayValues
            #expect(events.allSatisfy { $0["sub"] != .string("a/b c") } && events.count == 1)
        }
    }

    @Test("usage counts distinct active users, sessions and messages of the clock's month")
    func usage() async throws {
        try await TestEmulator.run { client in
            for sub in ["a", "b", "a"] {
                let id = try await client.createSession(try TestEmulator.token(sub: sub)).json["session_id"]!.stringValue!
                _ = try await client.message(id)
            }
            let month = String(Timestamp.format(TestEmulator.now).prefix(7))
            let usage = try await client.call(.get, "/v1/admin/usage?integration_id=demo", admin: true)
            #expect(usage.raw == #"{"integration_id":"demo","month":"\#(month)","active_users":2,"sessions":3,"messages":6}"#)
            let other = try await client.call(.get, "/v1/admin/usage?integration_id=demo&month=2020-01", admin: true)
            #expect(other.json["sessions"] == .number("0"))
            #expect(try await client.call(.get, "/v1/admin/usage?integration_id=demo&month=2020-13", admin: true).code == "invalid_request")
            #expect(try await client.call(.get, "/v1/admin/usage?integration_id=nope", admin: true).code == "integration_not_found")
        }
    }

    @Test("reset sessions keeps integrations; reset all removes them too")
    func reset() async throws {
        try await TestEmulator.run { client in
            _ = try await client.createSession(try TestEmulator.token())
            #expect(try await client.call(.post, "/v1/admin/reset", #"{"scope":"everything"}"#, admin: true).code == "invalid_request")
            #expect(try await client.call(.post, "/v1/admin/reset", #"{"scope":"sessions"}"#, admin: true).status == .ok)
            #expect(try await client.call(.get, "/v1/admin/sessions", admin: true).json["sessions"] == .array([]))
            #expect(try await client.call(.get, "/v1/admin/events", admin: true).json["events"] == .array([]))
            #expect(try await client.call(.get, "/v1/admin/integrations/demo", admin: true).status == .ok)
            _ = try await client.call(.post, "/v1/admin/reset", #"{"scope":"all"}"#, admin: true)
            #expect(try await client.call(.get, "/v1/admin/integrations", admin: true).json["integrations"] == .array([]))
        }
    }

    @Test("the clock: fixed from --now, set, offset, back to system")
    func clock() async throws {
        try await TestEmulator.run { client in
            let fixed = try await client.call(.get, "/v1/admin/clock", admin: true)
            #expect(fixed.json["mode"] == .string("fixed") && fixed.json["now"] == .string(Timestamp.format(TestEmulator.now)))
            let set = try await client.call(.put, "/v1/admin/clock", #"{"now":"2030-01-02T03:04:05Z"}"#, admin: true)
            #expect(set.json["now"] == .string("2030-01-02T03:04:05.000Z"))
            #expect(try await client.call(.put, "/v1/admin/clock", #"{"offset_seconds":3600}"#, admin: true).json["mode"] == .string("offset"))
            #expect(try await client.call(.put, "/v1/admin/clock", #"{}"#, admin: true).code == "invalid_request")
            #expect(try await client.call(.put, "/v1/admin/clock", #"{"now":"yesterday"}"#, admin: true).code == "invalid_request")
            #expect(try await client.call(.delete, "/v1/admin/clock", admin: true).json["mode"] == .string("system"))
        }
    }
}
