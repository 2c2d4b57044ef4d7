import MoveoEmulator
import Testing

/// CONTRACT §6 at the HTTP level: the pages are served from the emulator itself and pull nothing from elsewhere.
@Suite("Pages")
struct PagesTests {
    @Test("the dashboard, its script and style, and webchat.js are served with their types and no outside URL")
    func assets() async throws {
        try await TestEmulator.run { client in
            let expected = [("/", "text/html"), ("/dashboard.js", "application/javascript"), ("/dashboard.css", "text/css"),
                            ("/webchat.js", "application/javascript")]
            for (path, type) in expected {
                let reply = try await client.call(.get, path)
                #expect(reply.status == .ok, "\(path)")
                #expect(reply.headers[.contentType]?.hasPrefix(type) == true, "\(path)")
                #expect(!reply.raw.contains("https://") && !reply.raw.contains("src=\"http") && !reply.raw.contains("href=\"http"), "\(path) loads from another origin")
                #expect(!reply.raw.contains("prompt("), "\(path) uses prompt()")
            }
            #expect(try await client.call(.get, "/webchat.js").raw.contains("MoveoAI"))
        }
    }

    @Test("/demo embeds a demo token for the demo integration only, and says why when there is no demo")
    func demo() async throws {
        try await TestEmulator.run { client in
            let page = try await client.call(.get, "/demo")
            #expect(page.status == .ok && page.raw.contains("MoveoAI.init({ integrationId: 'demo'"))
            #expect(!page.raw.contains("PRIVATE KEY") && !page.raw.contains("Panagiotis"))
        }
        var configuration = TestEmulator.configuration()
        configuration.createDemo = false
        try await TestEmulator.run(configuration) { client in
            let page = try await client.call(.get, "/demo")
            #expect(page.status == .notFound && page.raw.contains("No demo"))
        }
    }
}
