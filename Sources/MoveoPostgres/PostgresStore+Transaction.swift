import MoveoStore
import PostgresNIO

extension PostgresStore {
    /// Runs `body` in one transaction on a pooled connection: committed when it returns, rolled back when it throws
    /// (a store refusal reaches the caller as itself, not wrapped).
    func transaction<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        try await client.withConnection { connection in
            try await connection.query("BEGIN", logger: self.logger)
            do {
                let value = try await body(connection)
                try await connection.query("COMMIT", logger: self.logger)
                return value
            } catch {
                _ = try? await connection.query("ROLLBACK", logger: self.logger)
                throw error
            }
        }
    }
}
