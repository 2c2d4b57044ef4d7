import Foundation
import PackagePlugin

/// Builds the web assets (`Sources/MoveoEmulator/Assets/*`) and the test-only demo keys (`Keys/demo/*.pem`) into the
/// target as generated Swift, so the binary runs from any folder with nothing beside it. The files in the
/// repository stay the only source; the generated copy lives in the plugin's work directory and is never committed.
@main
struct EmbedFilesPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) async throws -> [Command] {
        let manager = FileManager.default
        let assets = target.directoryURL.appendingPathComponent("Assets")
        let keys = context.package.directoryURL.appendingPathComponent("Keys/demo")
        var inputs: [(name: String, url: URL)] = []
        for (folder, prefix, suffix) in [(assets, "assets/", ""), (keys, "keys/demo/", ".pem")] {
            for name in try manager.contentsOfDirectory(atPath: folder.path).sorted() where name.hasSuffix(suffix) && !name.hasPrefix(".") {
                inputs.append((prefix + name, folder.appendingPathComponent(name)))
            }
        }
        let output = context.pluginWorkDirectoryURL.appendingPathComponent("EmbeddedFiles.swift")
        return [.buildCommand(
            displayName: "Embedding \(inputs.count) files into \(target.name)",
            executable: try context.tool(named: "moveo-embed").url,
            arguments: [output.path] + inputs.map { "\($0.name)=\($0.url.path)" },
            inputFiles: inputs.map(\.url),
            outputFiles: [output])]
    }
}
