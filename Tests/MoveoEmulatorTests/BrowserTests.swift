import Foundation
import Hummingbird
import MoveoAuth
@testable import MoveoEmulator
import NIOConcurrencyHelpers
import Testing

/// Headless Chromium against a real server: webchat.js as a customer's page uses it, and the dashboard.
@Suite("In a real browser", .serialized)
struct BrowserTests {
    /// The Chromium binary, if one is installed (`.ci/run` installs Debian's `chromium`).
    static let chromium: String? = ["CHROMIUM", "CHROME"].compactMap { ProcessInfo.processInfo.environment[$0] }.first
        ?? ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Runs Chromium headless on `url` and returns the DOM after the page's scripts settled.
    static func dumpDOM(_ url: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: chromium!)
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--virtual-time-budget=15000",
                             "--user-data-dir=\(FileManager.default.temporaryDirectory.path)/moveo-chromium-\(UUID().uuidString)", "--dump-dom", url]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    @Test("webchat.js: init with a valid token, a message and its reply, then an expired token's code; the dashboard shows the session",
          .enabled(if: chromium != nil, "no Chromium binary installed (apt-get install chromium); browser test skipped"))
    func webchatAndDashboard() async throws {
        try await TestEmulator.withLiveServer { base in
            let now = Date().timeIntervalSince1970
            let good = try TestEmulator.signer.identityToken(issuer: "acme", subject: "browser-user", now: now, ttl: 120, context: TestEmulator.sampleContext)
            let expired = try TestEmulator.signer.identityToken(issuer: "acme", subject: "browser-user", now: now - 100, ttl: 10)
            let page = """
                <!doctype html><html><body><div id="chat"></div><pre id="verdict">pending</pre>
                <script src="\(base)/webchat.js"></script>
                <script>
                (async function () {
                  var out = [];
                  try {
                    var chat = await MoveoAI.init({ integrationId: 'demo', identityToken: '\(good)', element: '#chat' });
                    out.push('session=' + chat.sessionId);
                    var created = null; chat.onSessionCreated(function (s) { created = s.session_id; });
                    out.push('callback=' + (created === chat.sessionId ? 'ok' : 'missing'));
                    var answer = await chat.sendMessage({ text: 'browser hello' });
                    out.push('reply=' + (answer.reply.text.indexOf('browser hello') >= 0 ? 'ok' : 'wrong'));
                    out.push('bubbles=' + document.querySelectorAll('#chat [data-role]').length);
                  } catch (error) { out.push('init-error=' + error.code); }
                  try {
                    await MoveoAI.init({ integrationId: 'demo', identityToken: '\(expired)' });
                    out.push('expired=accepted');
                  } catch (error) { out.push('expired=' + error.code); }
                  document.getElementById('verdict').textContent = out.join(' ');
                })();
                </script></body></html>
                """
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("moveo-webchat-\(UUID().uuidString).html")
            try page.write(to: file, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(at: file) }
            let dom = try Self.dumpDOM(file.absoluteString)
            let verdict = try #require(dom.firstRange(of: "<pre id=\"verdict\">").map { String(dom[$0.upperBound...].prefix { $0 != "<" }) })
            print("browser verdict: \(verdict)")
            #expect(verdict.contains("callback=ok") && verdict.contains("reply=ok") && verdict.contains("bubbles=2"))
            #expect(verdict.contains("expired=token_expired"))
            let sessionId = try #require(verdict.split(separator: " ").first { $0.hasPrefix("session=") }?.dropFirst("session=".count))

            let dashboard = try Self.dumpDOM("\(base)/#admin_token=\(TestEmulator.adminToken)&tab=sessions&session=\(sessionId)")
            #expect(dashboard.contains("data-session=\"\(sessionId)\""))
            #expect(dashboard.contains("browser-user"))
            #expect(dashboard.contains("Panagiotis Karagiannis"), "the pinned context is shown as a tree")
            #expect(!dashboard.contains("PRIVATE KEY"))
        }
    }

    @Test("the demo page creates a session with the sample context using only the emulator's own scripts",
          .enabled(if: chromium != nil, "no Chromium binary installed (apt-get install chromium); browser test skipped"))
    func demoPage() async throws {
        try await TestEmulator.withLiveServer { base in
            let dom = try Self.dumpDOM("\(base)/demo")
            #expect(dom.contains("demo-status\">session s_"))
            #expect(!dom.contains("https://"), "the page pulls nothing from the network")
        }
    }
}
