import Foundation
import MoveoAuth

/// The HTML of `/demo`: the documentation's flow end to end in a browser.
enum DemoPage {
    /// The documentation's sample context.
    static let sampleContext = try! JSONParser.parse(Array("""
        {"user":{"gender":"male","credit_card":"123456789","password":"102324","email":"","display_name":"Panagiotis Karagiannis",\
        "avatar":"","address":"50 Pastor St, Paramus, NJ","language":"en","phone":"+123456789","is_vip":true,\
        "external_details":{"from":"02-01-2022","agent":"C25","contract_id":"1234959595","has_requested_refund":true}}}
        """.utf8))

    /// The page, with `token` embedded (base64url and dots only, so safe inside a script).
    static func html(token: String) -> String {
        """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>moveo-emulator demo</title>
        <link rel="stylesheet" href="/dashboard.css"></head>
        <body><header><h1>moveo-emulator — demo page</h1><span class="spacer"></span><a href="/">dashboard</a></header>
        <main>
        <div class="card">
          <p>This page stands for <em>your</em> web page. The emulator minted an identity token for <code>sub: demo-user</code> with the
          <strong>test-only</strong> key <code>Keys/demo/customer_private.pem</code>, carrying the documentation's sample context
          (encrypted with AES-256-CBC, key and IV under the <code>demo</code> integration's platform key). The script below is
          all a customer's page needs:</p>
          <pre>&lt;script src="/webchat.js"&gt;&lt;/script&gt;
        MoveoAI.init({ integrationId: 'demo', identityToken: token, element: '#chat' })</pre>
          <p>Open the <a href="/">dashboard</a> to see the session and its pinned context.</p>
          <p>Status: <strong id="demo-status">starting…</strong></p>
          <p>Then the page tries to change the context, as any page (or a user in the browser console) could:</p>
          <pre>chat.updateContext({ user: { nickname: 'Zed', is_vip: false } })</pre>
          <p>Result: <strong id="demo-context">…</strong> — <code>is_vip</code> is defined by the private context, so it cannot be
          changed; <code>nickname</code> is new, so it is added beside it.</p>
        </div>
        <div id="chat" style="max-width:360px"></div>
        </main>
        <script src="/webchat.js"></script>
        <script>
        var token = "\(token)";
        MoveoAI.init({ integrationId: 'demo', identityToken: token, element: '#chat' }).then(function (chat) {
          document.getElementById('demo-status').textContent = 'session ' + chat.sessionId + ' created';
          return chat.sendMessage({ text: 'Hello from the demo page' }).then(function () {
            return chat.updateContext({ user: { nickname: 'Zed', is_vip: false } });
          }).then(function (result) {
            document.getElementById('demo-context').textContent =
              'applied ' + JSON.stringify(result.applied) + ', ignored ' + JSON.stringify(result.ignored);
          });
        }).catch(function (error) {
          document.getElementById('demo-status').textContent = 'refused: ' + error.code + ' — ' + (error.hint || error.detail || '');
        });
        </script></body></html>
        """
    }

    /// A page saying why there is no demo.
    static func unavailable(_ reason: String) -> String {
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>demo unavailable</title></head><body><h1>No demo here</h1><p>"
            + reason.replacingOccurrences(of: "<", with: "&lt;") + "</p></body></html>"
    }
}
