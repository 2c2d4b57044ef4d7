/// RFC 6901 JSON Pointers: `/user/is_vip`, with `~` written `~0` and `/` written `~1`.
public enum JSONPointer {
    /// One reference token escaped (RFC 6901 §3): `~` → `~0`, then `/` → `~1`.
    public static func escape(_ token: String) -> String {
        guard token.contains(where: { $0 == "~" || $0 == "/" }) else { return token }
        var escaped = ""
        for character in token {
            switch character {
            case "~": escaped += "~0"
            case "/": escaped += "~1"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    /// The pointer of a path of member names (`[]` is the whole document, `""`).
    public static func string(_ path: [String]) -> String {
        path.reduce(into: "") { pointer, token in pointer += "/" + escape(token) }
    }

    /// The member names of a pointer, unescaped (RFC 6901 §4: `~1` → `/`, then `~0` → `~`); nil when not a pointer.
    public static func tokens(_ pointer: String) -> [String]? {
        if pointer.isEmpty { return [] }
        guard pointer.first == "/" else { return nil }
        var tokens: [String] = []
        for raw in pointer.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            var token = ""
            var tilde = false
            for character in raw {
                if tilde {
                    guard character == "0" || character == "1" else { return nil }
                    token.append(character == "0" ? "~" : "/")
                    tilde = false
                } else if character == "~" {
                    tilde = true
                } else {
                    token.append(character)
                }
            }
            guard !tilde else { return nil }
            tokens.append(token)
        }
        return tokens
    }

    /// The value at `path` in `document`, or nil where no object member leads there.
    public static func value(at path: [String], in document: JSONValue) -> JSONValue? {
        var node = document
        for token in path {
            guard let next = node[token] else { return nil }
            node = next
        }
        return node
    }
}
