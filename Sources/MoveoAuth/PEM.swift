/// One PEM block (RFC 7468): its label and the DER bytes it wraps.
public struct PEM: Sendable, Equatable {
    /// The label between `BEGIN ` and the dashes, e.g. `PUBLIC KEY`.
    public var label: String
    /// The decoded body.
    public var der: [UInt8]

    /// Creates a block from its parts.
    public init(label: String, der: [UInt8]) {
        self.label = label
        self.der = der
    }

    /// Reads the first PEM block of `text`; nil when there is none or its body is not base64.
    public init?(parsing text: String) {
        let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingSpaces() }
        guard let beginIndex = lines.firstIndex(where: { $0.hasPrefix("-----BEGIN ") && $0.hasSuffix("-----") }) else { return nil }
        let begin = lines[beginIndex]
        let label = String(begin.dropFirst("-----BEGIN ".count).dropLast(5))
        let end = "-----END \(label)-----"
        guard let endIndex = lines[(beginIndex + 1)...].firstIndex(of: end) else { return nil }
        let bodyLines = lines[(beginIndex + 1)..<endIndex].filter { !$0.isEmpty }
        guard !bodyLines.contains(where: { $0.contains(":") }) else { return nil }
        guard let der = Base64.decode(bodyLines.joined(), alphabet: .standard, padding: .optional), !der.isEmpty else { return nil }
        self.label = label
        self.der = der
    }

    /// The block as text, 64 characters a line, ending in a newline.
    public var text: String {
        let body = Base64.encode(der)
        var lines = ["-----BEGIN \(label)-----"]
        var start = body.startIndex
        while start < body.endIndex {
            let end = body.index(start, offsetBy: 64, limitedBy: body.endIndex) ?? body.endIndex
            lines.append(String(body[start..<end]))
            start = end
        }
        lines.append("-----END \(label)-----")
        return lines.joined(separator: "\n") + "\n"
    }
}

extension Substring {
    /// The text without leading and trailing spaces and tabs.
    func trimmingSpaces() -> String {
        var slice = self[...]
        while let first = slice.first, first == " " || first == "\t" || first == "\r" { slice = slice.dropFirst() }
        while let last = slice.last, last == " " || last == "\t" || last == "\r" { slice = slice.dropLast() }
        return String(slice)
    }
}
