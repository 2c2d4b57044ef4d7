import Foundation
import GRDB
import MoveoAuth
import MoveoStore
import Testing

/// The command line as a user runs it: the built `moveo-emulator` binary, its output and exit status.
@Suite("Command line")
struct CLITests {
    /// Runs the binary with `arguments`; returns its exit status and standard output.
    static func run(_ arguments: [String]) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: EmulatorBinary.path)
        process.arguments = arguments
        process.currentDirectoryURL = TestEmulator.root
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try Process.launch(process)
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test("keys generate writes a PKCS#8 private key (0600) and an SPKI public key")
    func keysGenerate() throws {
        let folder = try TestEmulator.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (status, _) = try Self.run(["keys", "generate", "--out", folder.path])
        #expect(status == 0)
        let privatePath = folder.appendingPathComponent("private.pem").path
        let privateKey = try RSAPrivateKey(pem: String(contentsOfFile: privatePath, encoding: .utf8))
        let publicKey = try RSAPublicKey(importing: String(contentsOfFile: folder.appendingPathComponent("public.pem").path, encoding: .utf8))
        #expect(privateKey.publicKey.thumbprint == publicKey.thumbprint)
        #expect(try FileManager.default.attributesOfItem(atPath: privatePath)[.posixPermissions] as? Int == 0o600)
        #expect(try Self.run(["keys", "generate", "--out", folder.path]).0 != 0, "refuses to overwrite without --force")
    }

    @Test("token sign then token inspect: every check passes with the context; an over-long ttl exits 1 with exp_too_far")
    func signAndInspect() throws {
        let folder = try TestEmulator.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let context = folder.appendingPathComponent("context.json").path
        try #"{"user":{"is_vip":true}}"#.write(toFile: context, atomically: true, encoding: .utf8)
        let (signStatus, signed) = try Self.run(["token", "sign", "--key", "Keys/demo/customer_private.pem", "--iss", "cli", "--sub", "u1",
                                                 "--context", context, "--platform-key", "Keys/demo/platform_public.pem"])
        #expect(signStatus == 0)
        let token = signed.trimmingCharacters(in: .whitespacesAndNewlines)
        let (inspectStatus, report) = try Self.run(["token", "inspect", token, "--public-key", "Keys/demo/customer_public.pem",
                                                    "--platform-private-key", "Keys/demo/platform_private.pem"])
        #expect(inspectStatus == 0)
        #expect(report.split(separator: "\n").filter { $0.hasPrefix("[pass]") }.count == 6)
        #expect(report.contains(#"context: {"user":{"is_vip":true}}"#))
        let long = try Self.run(["token", "sign", "--key", "Keys/demo/customer_private.pem", "--iss", "cli", "--sub", "u1", "--ttl", "10m"]).1
        let (refusedStatus, refused) = try Self.run(["token", "inspect", long.trimmingCharacters(in: .whitespacesAndNewlines),
                                                     "--public-key", "Keys/demo/customer_public.pem"])
        #expect(refusedStatus == 1 && refused.contains("refused: exp_too_far"))
    }

    @Test("webhook sign and verify agree, and verify exits 1 for another secret")
    func webhook() throws {
        let folder = try TestEmulator.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let body = folder.appendingPathComponent("body.json").path
        try #"{"channel":"web"}"#.write(toFile: body, atomically: true, encoding: .utf8)
        let signature = try Self.run(["webhook", "sign", "--secret", "whsec_test", "--body", body]).1.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(signature == Digest.hex(Digest.hmacSHA256(key: Array("whsec_test".utf8), message: Array(#"{"channel":"web"}"#.utf8))))
        #expect(try Self.run(["webhook", "verify", "--secret", "whsec_test", "--signature", signature, "--body", body]).0 == 0)
        #expect(try Self.run(["webhook", "verify", "--secret", "whsec_other", "--signature", signature, "--body", body]).0 == 1)
    }

    @Test("file arguments take - for standard input and read pipes: --context - and --context <(…) sign the same context")
    func standardInputAndPipes() throws {
        let context = #"{"user":{"piped":true}}"#
        let sign = "\(EmulatorBinary.path) token sign --key Keys/demo/customer_private.pem --iss cli --sub u1 --platform-key Keys/demo/platform_public.pem"
        for script in ["printf '%s' '\(context)' | \(sign) --context -", "\(sign) --context <(printf '%s' '\(context)')",
                       "cat Keys/demo/customer_private.pem | \(EmulatorBinary.path) token sign --key - --iss cli --sub u1"] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/bash")
            process.arguments = ["-c", script]
            process.currentDirectoryURL = TestEmulator.root
            let output = Pipe()
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            try Process.launch(process)
            let token = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "\(script)")
            let (status, report) = try Self.run(["token", "inspect", token, "--public-key", "Keys/demo/customer_public.pem",
                                                 "--platform-private-key", "Keys/demo/platform_private.pem"])
            #expect(status == 0, "\(script)")
            if script.contains("--context") { #expect(report.contains("context: \(context)"), "\(script)") }
        }
        #expect(try Self.run(["token", "sign", "--key", "/nonexistent.pem", "--iss", "a", "--sub", "b"]).0 != 0)
    }
}

/// A database written by a newer binary is refused at start-up, naming the file and the cause, and left as it was.
@Suite("Newer schema")
struct NewerSchemaTests {
    @Test("serve on a database with a migration this binary does not know: exit non-zero, the path and the migration named; nothing changed")
    func newerSchema() async throws {
        let folder = try TestEmulator.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("future.sqlite").path
        do {
            let database = try AppDatabase.open(path: path)
            try database.close()
        }
        do {
            let queue = try DatabaseQueue(path: path)
            try await queue.write { db in try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99-from-the-future')") }
            try queue.close()
        }
        let applied = { () throws -> [String] in
            let queue = try DatabaseQueue(path: path)
            defer { try? queue.close() }
            return try queue.read { db in try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier") }
        }
        let before = try applied()
        let (status, output) = try await Loopback.run(EmulatorBinary.path, ["serve", "--port", "0", "--db", path])
        #expect(status != 0)
        #expect(output.contains(path) && output.contains("v99-from-the-future") && output.contains("newer moveo-emulator"), "\(output)")
        #expect(!output.contains("listening on"))
        #expect(try applied() == before, "no migration ran")
    }
}
