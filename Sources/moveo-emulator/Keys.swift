import ArgumentParser
import Foundation
import MoveoAuth

/// `moveo-emulator keys …`: RSA keypairs like the documentation's openssl commands.
struct Keys: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Generate RSA keypairs.", subcommands: [Generate.self])

    /// `keys generate --out DIR [--bits 2048]`.
    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write private.pem (PKCS#8) and public.pem (SPKI) into a folder.")

        @Option(help: "The folder to write into (created if missing).")
        var out: String

        @Option(help: "Modulus size: 2048, 3072 or 4096.")
        var bits: Int = 2048

        @Flag(help: "Overwrite existing files.")
        var force = false

        func validate() throws {
            guard RSAPrivateKey.allowedBits.contains(bits) else { throw ValidationError("--bits must be 2048, 3072 or 4096") }
        }

        func run() throws {
            let folder = URL(fileURLWithPath: out)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let privateURL = folder.appendingPathComponent("private.pem")
            let publicURL = folder.appendingPathComponent("public.pem")
            if !force, FileManager.default.fileExists(atPath: privateURL.path) || FileManager.default.fileExists(atPath: publicURL.path) {
                throw ValidationError("\(out) already holds private.pem or public.pem; pass --force to overwrite")
            }
            let key = try RSAPrivateKey(generatingBits: bits)
            try Data(key.pkcs8PEM.utf8).write(to: privateURL)
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: privateURL.path)
            try Data(key.publicKey.spkiPEM.utf8).write(to: publicURL)
            print("wrote \(privateURL.path) (PKCS#8, keep it secret) and \(publicURL.path) (SPKI)")
            print("kid \(key.publicKey.thumbprint)")
        }
    }
}
