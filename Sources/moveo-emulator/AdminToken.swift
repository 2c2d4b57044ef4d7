import ArgumentParser
import MoveoStore

/// `moveo-emulator admin-token --db PATH`: prints the stored admin token.
struct AdminToken: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "admin-token", abstract: "Print the admin token stored in the database.")

    @Option(help: "SQLite file.")
    var db = "Database/emulator.sqlite"

    func run() async throws {
        guard let token = try await AppDatabase.open(path: db).adminToken() else {
            throw ValidationError("\(db) holds no admin token yet: it is generated on the first `serve`")
        }
        print(token)
    }
}
