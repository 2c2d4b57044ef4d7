import Foundation

/// The files built into the binary by the EmbedFiles plugin: web assets (`assets/…`) and test-only demo keys (`keys/demo/…`).
enum Embedded {
    /// The bytes of an embedded file, or nil when there is no such file.
    static func data(_ name: String) -> Data? {
        EmbeddedFiles.base64[name].flatMap { Data(base64Encoded: $0) }
    }

    /// An embedded text file.
    static func text(_ name: String) -> String? {
        data(name).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The test-only demo keys of `Keys/demo/` (CONTRACT §1): never for anything but the `demo` integration.
    enum DemoKeys {
        /// The customer's public key the demo integration verifies tokens with.
        static var customerPublic: String { Embedded.text("keys/demo/customer_public.pem") ?? "" }
        /// The customer's private key `/demo` signs its token with.
        static var customerPrivate: String { Embedded.text("keys/demo/customer_private.pem") ?? "" }
        /// The demo integration's platform private key.
        static var platformPrivate: String { Embedded.text("keys/demo/platform_private.pem") ?? "" }
    }
}
