import Foundation
@testable import MoveoPostgres
import PostgresNIO
import Testing

/// "A 2xx answer still means committed" (CONTRACT §12) whatever the server's default: every pooled connection commits
/// synchronously, and names itself in pg_stat_activity.
@Suite("PostgreSQL connection settings")
struct PostgresSessionSettingsTests {
    @Test("a database whose default is synchronous_commit = off still gets synchronous commits from the emulator's pool")
    func synchronousCommit() async throws {
        guard TestDatabase.available("PostgresSessionSettingsTests") else { return }
        try await TestDatabase.with { url in
            try await TestDatabase.admin(url, "ALTER DATABASE \(url.database) SET synchronous_commit = off")
            let store = try await PostgresStore.open(url: url, connections: 1)
            let (commit, name) = try await store.client.withConnection { connection in
                var row = ("", "")
                for try await values in try await connection.query(
                    "SELECT current_setting('synchronous_commit'), current_setting('application_name')", logger: store.logger
                ).decode((String, String).self) { row = values }
                return row
            }
            try await store.close()
            #expect(commit == "on", "the pool's connections override the database's default")
            #expect(name == "moveo-emulator")
        }
    }
}
