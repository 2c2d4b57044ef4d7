import Foundation
import MoveoAuth

/// The keys and seed file of one benchmark run, written to a temporary folder.
struct BenchKeys {
    let customer: RSAPrivateKey
    let platform: RSAPrivateKey
    let folder: URL

    /// A context of about 1 KiB, like a real user profile.
    static let context: JSONValue = {
        var members: [(String, JSONValue)] = [("display_name", .string("Panagiotis Karagiannis")), ("is_vip", .bool(true))]
        for index in 0..<20 { members.append(("field_\(index)", .string(String(repeating: "v", count: 40)))) }
        return .object([("user", .object(members))])
    }()

    static func make() throws -> BenchKeys {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("moveo-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let keys = BenchKeys(customer: try RSAPrivateKey(generatingBits: 2048), platform: try RSAPrivateKey(generatingBits: 2048), folder: folder)
        try keys.customer.publicKey.spkiPEM.write(to: folder.appendingPathComponent("customer_public.pem"), atomically: true, encoding: .utf8)
        try keys.platform.pkcs8PEM.write(to: folder.appendingPathComponent("platform_private.pem"), atomically: true, encoding: .utf8)
        let seed = #"{"integrations":[{"integration_id":"bench","name":"Bench","auth_required":true,"session_timeout":86400,"#
            + #""customer_public_keys":["customer_public.pem"],"platform_private_key":"platform_private.pem"}]}"#
        try seed.write(to: folder.appendingPathComponent("seed.json"), atomically: true, encoding: .utf8)
        return keys
    }

    var seedPath: String { folder.appendingPathComponent("seed.json").path }
}
