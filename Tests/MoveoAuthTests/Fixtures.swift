import Foundation
import MoveoAuth

/// Test fixtures: committed keys and vectors, loaded from the test bundle.
enum Fixtures {
    /// The contents of `Fixtures/<path>`.
    static func data(_ path: String) throws -> Data {
        guard let url = Bundle.module.url(forResource: "Fixtures/" + path, withExtension: nil) else {
            throw FixtureError.missing(path)
        }
        return try Data(contentsOf: url)
    }

    /// The text of `Fixtures/<path>`.
    static func text(_ path: String) throws -> String {
        String(decoding: try data(path), as: UTF8.self)
    }

    /// A JSON fixture decoded with Foundation (test-side only).
    static func json(_ path: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: try data(path)) as? [String: Any] ?? [:]
    }

    /// The committed customer signing key.
    static let customerPrivate = try! RSAPrivateKey(pem: try! text("external/customer_private.pem"))
    /// The committed platform key.
    static let platformPrivate = try! RSAPrivateKey(pem: try! text("external/platform_private.pem"))
    /// A second platform key, standing for "another integration's key".
    static let otherPrivate = try! RSAPrivateKey(generatingBits: 2048)

    /// Bytes from hex.
    static func bytes(hex: String) -> [UInt8] {
        var output: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            output.append(UInt8(hex[index..<next], radix: 16)!)
            index = next
        }
        return output
    }

    enum FixtureError: Error { case missing(String) }
}
