import ArgumentParser
import MoveoEmulator

/// The `moveo-emulator` command: the service and its offline tools.
@main
struct MoveoEmulatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "moveo-emulator",
        abstract: "A local stand-in for the Moveo.AI side of web chat user authentication.",
        version: EmulatorVersion.current,
        subcommands: [Serve.self, Keys.self, Token.self, Integrations.self, AdminToken.self, Webhook.self, LintSigner.self]
    )
}
