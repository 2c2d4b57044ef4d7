import Foundation
import MoveoAuth

/// One webhook's settings as the admin API and the seed file give them, checked by the rules of CONTRACT §10.
public struct WebhookSettings: Sendable {
    /// Why a setting is refused, and which member.
    public struct Invalid: Error, Sendable {
        /// The member at fault (`custom_headers.Host`…).
        public var field: String
        /// What is wrong with it.
        public var message: String
    }

    /// Unique within the integration, 1 to 64 characters.
    public var name: String?
    /// `dialog`, `first_message`, `pre_message` or `post_message`.
    public var type: String?
    /// An http(s) URL with a host.
    public var url: String?
    /// 8 to 256 bytes; generated (`whsec_…`) when a new webhook comes without one.
    public var verificationToken: String?
    /// At most 10, sent after the emulator's own headers, in this order.
    public var customHeaders: [(String, String)]?

    /// The most custom headers one webhook may have.
    public static let maxCustomHeaders = 10

    /// Header names a webhook may not set: the connection's own, and every `X-Moveo-` name.
    static let forbiddenHeaders: Set<String> = [
        "connection", "content-disposition", "content-encoding", "content-length", "content-type", "host", "upgrade", "accept",
    ]

    /// Reads `object`'s members; `creating` requires `name`, `type` and `url`; `type` only when `allowType`.
    public static func read(_ object: JSONValue, creating: Bool, allowType: Bool = true) throws(Invalid) -> WebhookSettings {
        guard object.objectMembers != nil else { throw Invalid(field: "(body)", message: "must be a JSON object") }
        var settings = WebhookSettings()
        if let value = object["name"], value != .null {
            guard let name = value.stringValue, (1...64).contains(name.unicodeScalars.count), !name.utf8.contains(0) else {
                throw Invalid(field: "name", message: "must be a string of 1 to 64 characters")
            }
            settings.name = name
        }
        if let value = object["type"], value != .null {
            guard allowType else { throw Invalid(field: "type", message: "cannot be changed: delete the webhook and create another") }
            guard let type = value.stringValue, ["dialog", "first_message", "pre_message", "post_message"].contains(type) else {
                throw Invalid(field: "type", message: "must be dialog, first_message, pre_message or post_message")
            }
            settings.type = type
        }
        if let value = object["url"], value != .null {
            guard let url = value.stringValue, EmulatorService.isValidWebhookURL(url) else {
                throw Invalid(field: "url", message: "must be an http(s) URL with a host")
            }
            settings.url = url
        }
        if let value = object["verification_token"], value != .null {
            guard let token = value.stringValue, (8...256).contains(token.unicodeScalars.count), !token.utf8.contains(0) else {
                throw Invalid(field: "verification_token", message: "must be a string of 8 to 256 characters")
            }
            settings.verificationToken = token
        }
        if let value = object["custom_headers"], value != .null {
            settings.customHeaders = try headers(value)
        }
        if creating {
            for (field, present) in [("name", settings.name != nil), ("type", settings.type != nil), ("url", settings.url != nil)] where !present {
                throw Invalid(field: field, message: "is required")
            }
        }
        return settings
    }

    /// Checks custom headers: an object of at most 10 string values; names HTTP tokens, none of ours; values ≤ 1,024 characters, no CR, LF or NUL.
    static func headers(_ value: JSONValue) throws(Invalid) -> [(String, String)] {
        guard let members = value.objectMembers else { throw Invalid(field: "custom_headers", message: "must be an object of header names to strings") }
        guard members.count <= maxCustomHeaders else {
            throw Invalid(field: "custom_headers", message: "has \(members.count) headers; at most \(maxCustomHeaders) are allowed")
        }
        var seen: Set<String> = []
        var headers: [(String, String)] = []
        for (name, member) in members {
            let field = "custom_headers.\(JSONWriter.truncated(name))"
            guard !name.isEmpty, name.utf8.count <= 256, name.utf8.allSatisfy(isTokenByte) else {
                throw Invalid(field: field, message: "is not an HTTP header name (letters, digits and !#$%&'*+-.^_`|~)")
            }
            let lowered = name.lowercased()
            guard !forbiddenHeaders.contains(lowered), !lowered.hasPrefix("x-moveo-") else {
                throw Invalid(field: field, message: "is set by the emulator itself and cannot be a custom header")
            }
            guard seen.insert(lowered).inserted else { throw Invalid(field: field, message: "appears twice (names are case-insensitive)") }
            guard let text = member.stringValue else { throw Invalid(field: field, message: "must be a string") }
            guard text.unicodeScalars.count <= 1024, !text.utf8.contains(where: { $0 == 0x0D || $0 == 0x0A || $0 == 0 }) else {
                throw Invalid(field: field, message: "must be at most 1,024 characters with no CR, LF or NUL")
            }
            headers.append((name, text))
        }
        return headers
    }

    /// RFC 9110 `tchar`.
    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"): true
        default: "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
    }

    /// The headers as the compact JSON object the store keeps.
    static func json(_ headers: [(String, String)]) -> String {
        JSONWriter.string(.object(headers.map { ($0.0, JSONValue.string($0.1)) }))
    }

    /// The headers the store keeps, in their order.
    static func headers(json text: String) -> [(String, String)] {
        ((try? JSONParser.parse(Array(text.utf8)))?.objectMembers ?? []).compactMap { name, value in value.stringValue.map { (name, $0) } }
    }
}
