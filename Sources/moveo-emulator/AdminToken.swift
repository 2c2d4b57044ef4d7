import ArgumentParser
import MoveoEmulator
import MoveoStore

/// `moveo-emulator admin-token --db PATH`: prints the stored admin token.
struct AdminToken: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "admin-token", abstract: "Print the admin token stored in the database.")

    @Option(help: "SQLite file, or the postgres:// URL of a shared database.")
    var db = "Database/emulator.sqlite"

    func run() async throws {
        var configuration = EmulatorConfiguration()
        configuration.databasePath = db
        let store = try await openStore(configuration)
        let stored = try await store.adminToken()
        try await store.close()
        guard let token = stored else {
            throw ValidationError("\(displayedLocation(db)) holds no admin token yet: it is generated on the first `serve`")
        }
        print(token)
    }
}
