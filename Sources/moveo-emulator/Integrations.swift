import ArgumentParser
import Foundation
import MoveoAuth
import MoveoEmulator
import MoveoStore

/// `moveo-emulator integrations list|create|show --db PATH`: the same store, without the server.
struct Integrations: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Manage integrations in the database directly.",
                                                    subcommands: [List.self, Create.self, Show.self])

    /// The database option every subcommand shares.
    struct Store: ParsableArguments {
        @Option(help: "SQLite file, or the postgres:// URL of a shared database.")
        var db = "Database/emulator.sqlite"

        /// The service over the store (no demo, no server).
        func service() async throws -> EmulatorService {
            var configuration = EmulatorConfiguration()
            configuration.databasePath = db
            return EmulatorService(database: try await openStore(configuration), configuration: configuration)
        }
    }

    /// Prints a JSON value on one line.
    static func output(_ value: JSONValue) {
        print(JSONWriter.string(value))
    }

    /// `integrations list`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print every integration as JSON.")
        @OptionGroup var store: Store

        func run() async throws {
            let service = try await store.service()
            output(.object([("integrations", .array(try await service.database.integrations().map { try service.render($0) }))]))
        }
    }

    /// `integrations show ID`.
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print one integration as JSON.")
        @OptionGroup var store: Store
        @Argument(help: "The integration id.") var id: String

        func run() async throws {
            let service = try await store.service()
            guard let integration = try await service.database.integration(id: id) else { throw ValidationError("no integration has id \(id)") }
            output(try service.render(integration))
        }
    }

    /// `integrations create --name N [--id ID] [--public-key FILE] …`.
    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an integration with a fresh platform keypair.")
        @OptionGroup var store: Store
        @Option(help: "Display name.") var name: String
        @Option(help: "Integration id ([A-Za-z0-9_-]{1,64}); generated when absent.") var id: String?
        @Option(name: .customLong("public-key"), help: "The customer public key file (PEM or JWK).") var publicKey: String?
        @Option(name: .customLong("auth-required"), help: "true or false (default: true when a key is given).") var authRequired: Bool?
        @Option(name: .customLong("session-timeout"), help: "Idle seconds before a session is over.") var sessionTimeout: Int?
        @Option(name: .customLong("platform-key-bits"), help: "2048, 3072 or 4096.") var platformKeyBits: Int = 2048

        func validate() throws {
            if let id, !EmulatorService.isValidIntegrationId(id) { throw ValidationError("--id must match [A-Za-z0-9_-]{1,64}") }
            guard RSAPrivateKey.allowedBits.contains(platformKeyBits) else { throw ValidationError("--platform-key-bits must be 2048, 3072 or 4096") }
        }

        func run() async throws {
            let service = try await store.service()
            let key = try publicKey.map { JSONValue.string(try Token.read($0, option: "--public-key")) }
            let new = EmulatorService.NewIntegration(name: name, id: id, publicKey: key, authRequired: authRequired,
                                                     sessionTimeout: sessionTimeout, platformKeyBits: platformKeyBits)
            do {
                output(try service.render(try await service.createIntegration(new)))
            } catch let error as AuthError {
                throw ValidationError("\(error.code.rawValue): \(error.detail)")
            } catch let error as StoreError {
                throw ValidationError(error.description)
            }
        }
    }
}
