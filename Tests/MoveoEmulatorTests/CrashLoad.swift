import AsyncHTTPClient
import Foundation
import MoveoAuth
import NIOConcurrencyHelpers

/// Session creations from four concurrent workers against a binary that is about to be killed: which ones were acknowledged.
struct CrashLoad {
    /// Session id → the index of the token (`sub` `crash-INDEX`, context `{"n":INDEX}`) that created it.
    let acknowledged = NIOLockedValueBox<[String: Int]>([:])
    private let load: Task<Void, Never>

    /// Starts creating `count` demo sessions on `base`.
    init(client: HTTPClient, base: String, count: Int) throws {
        let now = Date().timeIntervalSince1970
        let tokens = try (0..<count).map { index in
            try TestEmulator.signer.identityToken(issuer: "acme", subject: "crash-\(index)", now: now, ttl: 120,
                                                  context: .object([("n", .number(String(index)))]))
        }
        let acknowledged = self.acknowledged
        load = Task {
            await withTaskGroup(of: Void.self) { group in
                for worker in 0..<4 {
                    group.addTask {
                        var index = worker
                        while index < tokens.count {
                            guard let (status, body) = try? await client.post(base + "/v1/webchat/demo/sessions", #"{"identity_token":"\#(tokens[index])"}"#) else { return }
                            if status == 201, let id = (try? JSONParser.parse(Array(body.utf8)))?["session_id"]?.stringValue {
                                acknowledged.withLockedValue { $0[id] = index }
                            }
                            index += 4
                        }
                    }
                }
            }
        }
    }

    /// Waits until `count` sessions were acknowledged (or 60 s passed).
    func waitFor(_ count: Int) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while acknowledged.withLockedValue({ $0.count }) < count, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
    }

    /// Waits for the workers to stop (they stop at the first failed request) and returns what was acknowledged.
    func finish() async -> [String: Int] {
        await load.value
        return acknowledged.withLockedValue { $0 }
    }
}
