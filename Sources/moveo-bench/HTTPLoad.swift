import AsyncHTTPClient
import Foundation
import MoveoAuth
import NIOCore
import NIOHTTP1

/// One load scenario's figures.
struct LoadResult {
    var name: String
    var operations: Int
    var seconds: Double
    var p50: Double
    var p99: Double
    var serverCPUPerOp: Double
    /// With PostgreSQL: the database server's CPU per operation (when it runs on this machine), and its WAL flushes.
    var databaseCPUPerOp: Double?
    var walSyncs: Int?
    var throughput: Double { Double(operations) / seconds }
}

/// Drives the server with N concurrent keep-alive connections.
struct HTTPLoad {
    let client: HTTPClient
    let base: String
    let connections: Int

    init(port: Int, connections: Int) {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: connections)
        self.client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        self.base = "http://127.0.0.1:\(port)"
        self.connections = connections
    }

    /// POSTs `body(i)` to `path(i)` over the connections (GETs `path(i)` when `body` is nil); each answer must have status `expect`.
    func run(_ name: String, server: ServerProcess, count: Int, expect: Int, path: @escaping @Sendable (Int) -> String,
             body: (@Sendable (Int) -> String)?) async throws -> LoadResult {
        let cpuBefore = server.cpuSeconds
        let start = ContinuousClock.now
        let latencies = try await withThrowingTaskGroup(of: [Double].self) { group in
            for worker in 0..<connections {
                group.addTask {
                    var own: [Double] = []
                    var index = worker
                    while index < count {
                        var request = HTTPClientRequest(url: base + path(index))
                        if let body {
                            request.method = .POST
                            request.headers.add(name: "Content-Type", value: "application/json")
                            request.body = .bytes(ByteBuffer(string: body(index)))
                        }
                        let sent = ContinuousClock.now
                        let response = try await client.execute(request, timeout: .seconds(30))
                        _ = try await response.body.collect(upTo: 1 << 20)
                        own.append(Measure.seconds(ContinuousClock.now - sent))
                        guard response.status.code == expect else { throw BenchError.requestFailed("\(name): status \(response.status.code)") }
                        index += connections
                    }
                    return own
                }
            }
            var all: [Double] = []
            for try await part in group { all += part }
            return all
        }
        let seconds = Measure.seconds(ContinuousClock.now - start)
        usleep(100_000)
        let cpu = server.cpuSeconds - cpuBefore
        return LoadResult(name: name, operations: count, seconds: seconds, p50: Measure.percentile(latencies, 0.5),
                          p99: Measure.percentile(latencies, 0.99), serverCPUPerOp: cpu / Double(count))
    }

    /// Creates one session and returns its id.
    func createSession(token: String) async throws -> String {
        var request = HTTPClientRequest(url: base + "/v1/webchat/bench/sessions")
        request.method = .POST
        request.body = .bytes(ByteBuffer(string: #"{"identity_token":"\#(token)"}"#))
        let response = try await client.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 1 << 20)
        guard let id = try JSONParser.parse(body.readableBytesView)["session_id"]?.stringValue else {
            throw BenchError.requestFailed("session creation: \(response.status.code)")
        }
        return id
    }

    func shutdown() async throws { try await client.shutdown() }
}
