import AsyncHTTPClient
import Foundation
import MoveoAuth
import NIOCore
import NIOPosix
import NIOHTTP1

/// `moveo-emulator lint-signer` (CONTRACT §15): fetches tokens from a customer's token endpoint, runs each through a running
/// emulator's `/verify`, and says what the signer gets wrong that Moveo would still accept.
public struct SignerLintRun: Sendable {
    /// The customer's token endpoint (GET).
    public var url: String
    /// How many tokens to fetch.
    public var count: Int
    /// Extra request headers for the token endpoint, `Name: value`.
    public var headers: [(String, String)]
    /// The emulator's base URL.
    public var emulator: String
    /// The emulator's admin token.
    public var adminToken: String
    /// The integration the tokens are for.
    public var integration: String
    /// How long one request may take, seconds.
    public var timeout: Double

    /// Creates a run.
    public init(url: String, count: Int, headers: [(String, String)], emulator: String, adminToken: String, integration: String, timeout: Double) {
        self.url = url
        self.count = count
        self.headers = headers
        self.emulator = emulator
        self.adminToken = adminToken
        self.integration = integration
        self.timeout = timeout
    }

    /// Why the lint could not run (exit 2).
    public struct Failure: Error, CustomStringConvertible, Sendable {
        /// One line saying what went wrong and where.
        public let description: String
    }

    /// One finding with how many tokens had it.
    public struct Finding: Sendable, Equatable {
        /// The code (`aes_key_reused`, `token_refused`…).
        public var code: String
        /// How many of the tokens.
        public var count: Int
        /// The first token's words for it.
        public var detail: String
    }

    /// The codes a `/verify` warning may begin with.
    static let lintCodes: Set<String> = ["aes_key_reused", "aes_iv_reused", "sample_key_used", "token_replayed"]

    /// Fetches and checks every token; findings in the order first seen. Throws `Failure` when the lint cannot run.
    public func run(client: HTTPClient = .shared, progress: @Sendable (String) -> Void = { _ in }) async throws -> (tokens: Int, findings: [Finding]) {
        var findings: [Finding] = []
        func add(_ code: String, _ detail: String) {
            if let index = findings.firstIndex(where: { $0.code == code }) { findings[index].count += 1 } else { findings.append(Finding(code: code, count: 1, detail: detail)) }
        }
        var seen: Set<String> = []
        try await Self.probe(url, what: "the token endpoint \(url)", timeout: timeout)
        try await Self.probe(emulator, what: "the emulator \(emulator)", timeout: timeout)
        for index in 1...count {
            let token = try await fetchToken(client: client)
            if !seen.insert(token).inserted {
                add("token_replayed", "token_replayed: the endpoint returned a token it had returned before — mint a new token per request")
            }
            let answer = try await verify(token, client: client)
            progress("token \(index)/\(count): \(answer["valid"] == .bool(true) ? "accepted" : "refused")")
            guard answer["valid"] == .bool(true) else {
                let code = answer["error"]?["code"]?.stringValue ?? "unknown"
                let hint = answer["error"]?["hint"]?.stringValue.map { " — \($0)" } ?? ""
                add("token_refused", "token_refused: \(code): \(answer["error"]?["detail"]?.stringValue ?? "")\(hint)")
                continue
            }
            let warnings: [JSONValue] = if case .array(let list)? = answer["warnings"] { list } else { [] }
            for case .string(let warning) in warnings {
                let code = String(warning.prefix { $0 != ":" })
                add(Self.lintCodes.contains(code) ? code : "compat_near_miss", Self.lintCodes.contains(code) ? warning : "compat_near_miss: \(warning)")
            }
            let claims = answer["claims"]
            if let exp = claims?["exp"]?.doubleValue {
                if let iat = claims?["iat"]?.doubleValue {
                    if exp - iat > SignerLint.lifetimeCeiling {
                        add("lifetime_over_60s", "lifetime_over_60s: exp is \(Int(exp - iat)) s after iat — tokens should live seconds (expiresIn: '10000ms')")
                    }
                } else {
                    add("iat_missing", "iat_missing: the token has no iat claim")
                }
            }
        }
        return (count, findings)
    }

    /// Fails at once when nothing listens at `url`'s host and port (the HTTP client would retry until its deadline).
    static func probe(_ url: String, what: String, timeout: Double) async throws {
        guard let parsed = URL(string: url), let host = parsed.host else { throw Failure(description: "\(what) is not a URL") }
        let port = parsed.port ?? (parsed.scheme?.lowercased() == "https" ? 443 : 80)
        let bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton).connectTimeout(.milliseconds(Int64(timeout * 1000)))
        do {
            let channel = try await bootstrap.connect(host: host, port: port).get()
            try? await channel.close().get()
        } catch {
            throw Failure(description: "\(what) cannot be reached (\(String(describing: error).prefix(120)))")
        }
    }

    /// One token from the endpoint: a JSON `token` / `identity_token` member, or the body as plain text.
    func fetchToken(client: HTTPClient) async throws -> String {
        var request = HTTPClientRequest(url: url)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        let (status, body) = try await call(request, client: client, what: "the token endpoint \(url)")
        guard (200..<300).contains(status) else { throw Failure(description: "the token endpoint \(url) answered HTTP \(status)") }
        let text = String(decoding: body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if let json = try? JSONParser.parse(Array(text.utf8)) {
            if let token = json["token"]?.stringValue ?? json["identity_token"]?.stringValue { return token }
            throw Failure(description: "the token endpoint \(url) answered JSON without a token or identity_token member")
        }
        guard text.split(separator: ".", omittingEmptySubsequences: false).count == 3, !text.contains(" ") else {
            throw Failure(description: "the token endpoint \(url) answered no token (expected {\"token\": …}, {\"identity_token\": …} or the token as text)")
        }
        return text
    }

    /// `/verify`'s answer for `token`.
    func verify(_ token: String, client: HTTPClient) async throws -> JSONValue {
        let base = emulator.hasSuffix("/") ? String(emulator.dropLast()) : emulator
        var request = HTTPClientRequest(url: "\(base)/v1/admin/integrations/\(integration)/verify")
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(adminToken)")
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: JSONWriter.string(.object([("identity_token", .string(token))]))))
        let (status, body) = try await call(request, client: client, what: "the emulator \(base)")
        let answer = (try? JSONParser.parse(body)) ?? .null
        guard status == 200 else {
            throw Failure(description: "the emulator answered HTTP \(status) \(answer["code"]?.stringValue ?? ""): \(answer["detail"]?.stringValue ?? "")")
        }
        return answer
    }

    private func call(_ request: HTTPClientRequest, client: HTTPClient, what: String) async throws -> (Int, [UInt8]) {
        let timeout = self.timeout
        do {
            return try await withThrowingTaskGroup(of: (Int, [UInt8]).self) { group in
                group.addTask {
                    let response = try await client.execute(request, timeout: .milliseconds(Int64(timeout * 1000)))
                    let body = try await response.body.collect(upTo: 1 << 20)
                    return (Int(response.status.code), Array(body.readableBytesView))
                }
                group.addTask {
                    try await Task.sleep(for: .milliseconds(Int64(timeout * 1000)))
                    throw HTTPClientError.deadlineExceeded
                }
                defer { group.cancelAll() }
                return try await group.next()!
            }
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout {
            throw Failure(description: "\(what) did not answer within \(WebhookClient.seconds(timeout))")
        } catch is NIOTooManyBytesError {
            throw Failure(description: "\(what) answered more than 1 MiB")
        } catch {
            throw Failure(description: "\(what) cannot be reached (\(String(describing: error).prefix(120)))")
        }
    }
}
