/// A compact JWS split into its parts (RFC 7515 §7.1); the payload is decoded but not yet parsed (§5.2).
public struct CompactJWS: Sendable {
    /// The longest token accepted, in characters.
    public static let maxLength = 262_144

    /// The protected header, a JSON object with unique member names.
    public let header: JSONValue
    /// The ASCII of `B64(header).B64(payload)`: what RS256 signs.
    public let signingInput: ArraySlice<UInt8>
    /// The decoded payload bytes (parsed only after the signature holds).
    public let payload: [UInt8]
    /// The decoded signature.
    public let signature: [UInt8]

    /// Splits and decodes `token`; refuses with `token_too_large` or `token_malformed`.
    public init(parsing token: String) throws(AuthError) {
        let bytes = Array(token.utf8)
        guard bytes.count <= Self.maxLength else {
            throw AuthError(.tokenTooLarge, "the token is \(bytes.count) characters; the limit is \(Self.maxLength)")
        }
        let parts = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 3 else {
            throw AuthError(.tokenMalformed, "the token has \(parts.count) dot-separated parts; a compact JWS has three",
                            hint: Self.hintForPartCount(parts.count, token: token))
        }
        let names = ["header", "payload", "signature"]
        var decoded: [[UInt8]] = []
        for (name, part) in zip(names, parts) {
            guard let value = Base64.decode(String(decoding: part, as: UTF8.self), alphabet: .url, padding: .forbidden) else {
                throw AuthError(.tokenMalformed, "the \(name) is not base64url without padding", hint: Self.hintForBase64URL(part))
            }
            decoded.append(value)
        }
        let header: JSONValue
        do {
            header = try JSONParser.parse(decoded[0])
        } catch {
            throw AuthError(.tokenMalformed, "the header \(error)")
        }
        guard case .object = header else {
            throw AuthError(.tokenMalformed, "the header is a JSON \(header.typeName), not an object")
        }
        self.header = header
        self.signingInput = bytes[0..<(parts[0].count + 1 + parts[1].count)]
        self.payload = decoded[1]
        self.signature = decoded[2]
    }

    /// Reads the payload as a JSON object (after the signature was verified).
    public func payloadObject() throws(AuthError) -> JSONValue {
        let value: JSONValue
        do {
            value = try JSONParser.parse(payload)
        } catch {
            throw AuthError(.tokenMalformed, "the payload \(error)")
        }
        guard case .object = value else {
            throw AuthError(.tokenMalformed, "the payload is a JSON \(value.typeName), not an object")
        }
        return value
    }

    private static func hintForPartCount(_ count: Int, token: String) -> String? {
        if token.hasPrefix("Bearer ") || token.hasPrefix("bearer ") { return "send the token alone, without the \"Bearer \" prefix" }
        if count == 5 { return "this looks like a JWE (an encrypted token); identity tokens are signed JWS with RS256" }
        if count == 1, token.contains("-----BEGIN") { return "this is a PEM key, not a token" }
        return nil
    }

    private static func hintForBase64URL(_ part: ArraySlice<UInt8>) -> String? {
        if part.contains(UInt8(ascii: "=")) { return "remove the = padding: JWS uses base64url without padding (RFC 7515 §2)" }
        if part.contains(UInt8(ascii: "+")) || part.contains(UInt8(ascii: "/")) {
            return "use base64url (- and _), not base64 (+ and /)"
        }
        if part.contains(where: { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            return "remove the whitespace or line breaks from the token"
        }
        return nil
    }
}
