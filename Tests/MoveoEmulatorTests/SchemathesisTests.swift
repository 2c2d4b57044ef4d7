import Foundation
import Testing

/// CONTRACT §11: schemathesis, with all its checks, finds no failure in the running binary (.ci/run installs it).
@Suite("schemathesis over /openapi.json")
struct SchemathesisTests {
    /// The schemathesis executable: `MOVEO_SCHEMATHESIS` (set by .ci/run to its pinned virtual environment).
    static let executable: String? = ProcessInfo.processInfo.environment["MOVEO_SCHEMATHESIS"].flatMap { $0.isEmpty ? nil : $0 }

    /// Examples per operation and phase: with the fixed seed, about a minute on a 2-core machine.
    static let examples = 50

    @Test("every operation, every check, fixed seed: zero failures (skipped, saying so, when MOVEO_SCHEMATHESIS is unset)")
    func conformance() async throws {
        guard let executable = Self.executable else {
            print("schemathesis test skipped: MOVEO_SCHEMATHESIS is unset (.ci/run sets it to its pinned schemathesis)")
            return
        }
        let folder = try TestEmulator.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let ci = TestEmulator.root.appendingPathComponent(".ci")
        let server = try EmulatorBinary(["--db", folder.appendingPathComponent("conformance.sqlite").path, "--admin-token", TestEmulator.adminToken,
                                         "--seed", ci.appendingPathComponent("schemathesis-seed.json").path])
        defer { server.stop() }
        let started = ContinuousClock.now
        let (status, output) = try await Loopback.run(executable, [
            "--no-color", "--config-file", ci.appendingPathComponent("schemathesis.toml").path,
            "run", server.base + "/openapi.json", "--checks", "all", "--max-examples", String(Self.examples), "--seed", "1",
        ], environment: ["MOVEO_ADMIN_TOKEN": TestEmulator.adminToken], folder: folder)
        let summary = output.split(separator: "\n").filter { $0.contains("generated") || $0.hasPrefix("=") && $0.contains(" in ") }
        print("schemathesis (\(Self.examples) examples, seed 1) in \(ContinuousClock.now - started): \(summary.joined(separator: " | "))")
        #expect(status == 0, "schemathesis found failures:\n\(output.suffix(20_000))")
        let selected = Self.number(after: "Selected: ", in: output), tested = Self.number(after: "Tested: ", in: output)
        #expect(selected != nil && selected == tested && selected! >= 40, "not every operation was tested:\n\(output.suffix(4000))")
        #expect(server.process.isRunning, "the emulator died under schemathesis:\n\(server.output.withLockedValue { $0 }.suffix(4000))")
    }

    /// The number printed after `label` in schemathesis's summary.
    static func number(after label: String, in output: String) -> Int? {
        guard let range = output.range(of: label) else { return nil }
        return Int(output[range.upperBound...].prefix { $0.isNumber })
    }
}
