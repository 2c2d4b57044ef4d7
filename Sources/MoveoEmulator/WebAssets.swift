import Foundation
import Hummingbird

/// The dashboard, webchat.js and the OpenAPI document, built into the binary (no files beside it, nothing from a CDN).
enum WebAssets {
    /// One file and its content type.
    struct Asset: Sendable {
        let bytes: ByteBuffer
        let contentType: String
    }

    /// The files by URL path.
    static let byPath: [String: Asset] = {
        let files: [(path: String, name: String, type: String)] = [
            ("/", "dashboard.html", "text/html; charset=utf-8"),
            ("/dashboard.js", "dashboard.js", "application/javascript; charset=utf-8"),
            ("/dashboard.css", "dashboard.css", "text/css; charset=utf-8"),
            ("/webchat.js", "webchat.js", "application/javascript; charset=utf-8"),
            ("/openapi.json", "openapi.json", "application/json"),
        ]
        var assets: [String: Asset] = [:]
        for file in files {
            guard let data = Embedded.data("assets/" + file.name) else { continue }
            assets[file.path] = Asset(bytes: ByteBuffer(bytes: data), contentType: file.type)
        }
        return assets
    }()

    /// A response carrying `bytes` with `contentType`, not cached (the emulator is for development).
    static func response(_ bytes: ByteBuffer, contentType: String, status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = contentType
        headers[.cacheControl] = "no-store"
        headers[.contentSecurityPolicy] = "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'"
        return Response(status: status, headers: headers, body: .init(byteBuffer: bytes))
    }
}
