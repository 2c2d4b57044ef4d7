import AsyncHTTPClient
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

    /// Runs Chromium headless on `url` and returns the DOM after the page's scripts settled; waits on a GCD thread, never on
    /// the cooperative pool, which the in-process server the page talks to needs (two blocked pool threads would deadlock it).
    static func dumpDOM(_ url: String) async throws -> String {
        try await RawConnection.onThread { try runChromium(url) }
    }

    private static func runChromium(_ url: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: chromium!)
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--virtual-time-budget=15000",
                             "--user-data-dir=\(FileManager.default.temporaryDirectory.path)/moveo-chromium-\(UUID().uuidString)", "--dump-dom", url]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try Process.launch(process)
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
            let verdict = try await Self.verdict(of: page)
            print("browser verdict: \(verdict)")
            #expect(verdict.contains("callback=ok") && verdict.contains("reply=ok") && verdict.contains("bubbles=2"))
            #expect(verdict.contains("expired=token_expired"))
            let sessionId = try #require(verdict.split(separator: " ").first { $0.hasPrefix("session=") }?.dropFirst("session=".count))

            let dashboard = try await Self.dumpDOM("\(base)/#admin_token=\(TestEmulator.adminToken)&tab=sessions&session=\(sessionId)")
            #expect(dashboard.contains("data-session=\"\(sessionId)\""))
            #expect(dashboard.contains("browser-user"))
            #expect(dashboard.contains("Panagiotis Karagiannis"), "the pinned context is shown as a tree")
            #expect(!dashboard.contains("PRIVATE KEY"))
            #expect(dashboard.contains("data-lint=\"demo\"") && dashboard.contains("Signer lint (1 tokens seen)"), "the lint report on the card")
        }
    }

    /// Runs `page` (an HTML body) in Chromium and returns the text of its `<pre id="verdict">`.
    static func verdict(of page: String) async throws -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("moveo-webchat-\(UUID().uuidString).html")
        try page.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let dom = try await dumpDOM(file.absoluteString)
        return try #require(dom.firstRange(of: "<pre id=\"verdict\">").map { String(dom[$0.upperBound...].prefix { $0 != "<" }) })
    }

    @Test("webchat.js instance API: updateContext, setLocale, setCSSVariables, options as buttons, other responses as cards, destroy()",
          .enabled(if: chromium != nil, "no Chromium binary installed (apt-get install chromium); browser test skipped"))
    func instanceAPI() async throws {
        let receiver = WebhookReceiver()
        try await receiver.run { hook in
            try await TestEmulator.withLiveServer { base in
                var request = HTTPClientRequest(url: base + "/v1/admin/integrations/demo/webhooks")
                request.method = .POST
                request.headers.add(name: "Authorization", value: "Bearer \(TestEmulator.adminToken)")
                request.body = .bytes(ByteBuffer(string: #"{"name":"brain","type":"dialog","url":"\#(hook)/hook/read-vars"}"#))
                let created = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
                #expect(created.status.code == 201)
                let token = try TestEmulator.signer.identityToken(issuer: "acme", subject: "browser-user", now: Date().timeIntervalSince1970, ttl: 120,
                                                                  context: DemoPage.sampleContext)
                let verdict = try await Self.verdict(of: """
                    <!doctype html><html><body><div id="chat"></div><pre id="verdict">pending</pre>
                    <script src="\(base)/webchat.js"></script>
                    <script>
                    (async function () {
                      var out = [];
                      try {
                        var chat = await MoveoAI.init({ integrationId: 'demo', identityToken: '\(token)', element: '#chat',
                                                        welcome_message: 'Hi there, welcome', version: 'v2' });
                        out.push('welcome=' + (document.querySelector('#chat [data-role]').textContent === 'Hi there, welcome'));
                        var result = await chat.updateContext({ user: { is_vip: false, nickname: 'Zed' } });
                        out.push('applied=' + result.applied.join(',') + ' ignored=' + result.ignored.join(','));
                        out.push('locale=' + (await chat.setLocale('el')).locale);
                        var header = document.querySelector('#chat .moveo-wc-header');
                        var before = getComputedStyle(header).backgroundColor;
                        var set = chat.setCSSVariables({ '--moveo-accent': 'rgb(200, 10, 20)', 'color': 'red' });
                        out.push('css=' + set.join(',') + ':' + (getComputedStyle(header).backgroundColor === 'rgb(200, 10, 20)' && before !== 'rgb(200, 10, 20)'));
                        await chat.sendMessage({ text: 'show me options' });
                        var buttons = document.querySelectorAll('#chat [data-moveo="option"]');
                        out.push('buttons=' + Array.prototype.map.call(buttons, function (b) { return b.textContent; }).join('|'));
                        out.push('card=' + (document.querySelector('#chat [data-type="url"] a') || {}).href);
                        var replies = [];
                        var answered = new Promise(function (resolve) {
                          chat.onMessage(function (m) { if (m.role === 'user') replies.push(m.text); else resolve(); });
                        });
                        buttons[0].click();
                        await answered;
                        out.push('clicked=' + replies.join(','));
                        await chat.destroy();
                        out.push('removed=' + (document.querySelector('#chat .moveo-wc') === null));
                        try { await chat.sendMessage({ text: 'after destroy' }); out.push('after=sent'); }
                        catch (error) { out.push('after=' + error.code); }
                      } catch (error) { out.push('error=' + error.code + ':' + error.message); }
                      document.getElementById('verdict').textContent = out.join(' ');
                    })();
                    </script></body></html>
                    """)
                print("browser verdict: \(verdict)")
                #expect(verdict.contains("welcome=true"))
                #expect(verdict.contains("applied=/user/nickname ignored=/user/is_vip"))
                #expect(verdict.contains("locale=el"))
                #expect(verdict.contains("css=--moveo-accent:true"))
                #expect(verdict.contains("buttons=Yes please|No"))
                #expect(verdict.contains("card=https://example.com/help"))
                #expect(verdict.contains("clicked=yes"))
                #expect(verdict.contains("removed=true") && verdict.contains("after=session_ended"))
                let inputs = receiver.deliveries.withLockedValue { $0.map { $0.json["input"]?["text"]?.stringValue ?? "" } }
                #expect(inputs == ["show me options", "yes"], "the option button sent its text")
                #expect(receiver.deliveries.withLockedValue { $0.last?.json["lang"] } == .string("el"))
                #expect(receiver.deliveries.withLockedValue { $0.last?.json["context"]?["user"]?["nickname"] } == .string("Zed"))
            }
        }
    }

    @Test("the demo page creates a session with the sample context using only the emulator's own scripts",
          .enabled(if: chromium != nil, "no Chromium binary installed (apt-get install chromium); browser test skipped"))
    func demoPage() async throws {
        try await TestEmulator.withLiveServer { base in
            let dom = try await Self.dumpDOM("\(base)/demo")
            #expect(dom.contains("demo-status\">session s_"))
            #expect(dom.contains(#"demo-context">applied ["/user/nickname"], ignored ["/user/is_vip"]"#))
            #expect(!dom.contains("https://"), "the page pulls nothing from the network")
        }
    }
}
