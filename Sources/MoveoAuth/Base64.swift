/// Strict base64 and base64url codecs (RFC 4648 §4 and §5) that say exactly why they refuse.
public enum Base64 {
    /// The alphabet of a base64 text.
    public enum Alphabet: Sendable {
        /// `+` and `/`, RFC 4648 §4.
        case standard
        /// `-` and `_`, RFC 4648 §5.
        case url
    }

    private static let standardTable = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    private static let urlTable = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    private static let decodeTables: (standard: [UInt8], url: [UInt8]) = {
        var standard = [UInt8](repeating: 0xFF, count: 256)
        var url = [UInt8](repeating: 0xFF, count: 256)
        for (index, byte) in standardTable.enumerated() { standard[Int(byte)] = UInt8(index) }
        for (index, byte) in urlTable.enumerated() { url[Int(byte)] = UInt8(index) }
        return (standard, url)
    }()

    /// Encodes bytes; `padded` adds `=` to a multiple of four characters.
    public static func encode<Bytes: Collection<UInt8>>(_ bytes: Bytes, alphabet: Alphabet = .standard, padded: Bool = true) -> String {
        let table = alphabet == .standard ? standardTable : urlTable
        let input = Array(bytes)
        var output: [UInt8] = []
        output.reserveCapacity((input.count + 2) / 3 * 4)
        var index = 0
        while index + 3 <= input.count {
            let value = UInt32(input[index]) << 16 | UInt32(input[index + 1]) << 8 | UInt32(input[index + 2])
            output.append(table[Int(value >> 18 & 63)])
            output.append(table[Int(value >> 12 & 63)])
            output.append(table[Int(value >> 6 & 63)])
            output.append(table[Int(value & 63)])
            index += 3
        }
        let rest = input.count - index
        if rest > 0 {
            var value = UInt32(input[index]) << 16
            if rest == 2 { value |= UInt32(input[index + 1]) << 8 }
            output.append(table[Int(value >> 18 & 63)])
            output.append(table[Int(value >> 12 & 63)])
            if rest == 2 { output.append(table[Int(value >> 6 & 63)]) }
            if padded { output.append(contentsOf: Array(repeating: UInt8(ascii: "="), count: 3 - rest)) }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Base64url without padding, as JWS uses it (RFC 7515 §2).
    public static func urlEncode<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> String {
        encode(bytes, alphabet: .url, padded: false)
    }

    /// Decodes `text`, or returns nil when it is not of the alphabet.
    ///
    /// `padding`: `.forbidden` refuses `=` (JWS), `.optional` accepts a text with or without correct padding.
    /// Whitespace is never accepted. Non-zero trailing bits are refused (a canonical encoding only).
    public static func decode(_ text: some StringProtocol, alphabet: Alphabet, padding: Padding) -> [UInt8]? {
        let table = alphabet == .standard ? decodeTables.standard : decodeTables.url
        var body = Array(text.utf8)
        var padCount = 0
        while let last = body.last, last == UInt8(ascii: "=") {
            body.removeLast()
            padCount += 1
        }
        if padCount > 0 {
            guard padding == .optional, padCount <= 2, (body.count + padCount) % 4 == 0 else { return nil }
        }
        if body.count % 4 == 1 { return nil }
        var output: [UInt8] = []
        output.reserveCapacity(body.count * 3 / 4)
        var accumulator: UInt32 = 0
        var bits = 0
        for byte in body {
            let value = table[Int(byte)]
            if value == 0xFF { return nil }
            accumulator = accumulator << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                output.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
            }
        }
        if bits > 0, accumulator & ((1 << UInt32(bits)) - 1) != 0 { return nil }
        return output
    }

    /// Whether `=` padding may appear.
    public enum Padding: Sendable {
        /// No `=` at all (base64url in JWS).
        case forbidden
        /// With or without correct `=` padding.
        case optional
    }
}
