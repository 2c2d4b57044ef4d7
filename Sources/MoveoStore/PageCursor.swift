/// A position in a newest-first list: the last item's time and id, as an opaque URL-safe string.
public struct PageCursor: Sendable, Equatable {
    /// The last item's time.
    public var time: Double
    /// The last item's id.
    public var id: String

    /// Creates a cursor.
    public init(time: Double, id: String) {
        self.time = time
        self.id = id
    }

    /// Reads an encoded cursor; nil when it is not one of ours.
    public init?(encoded: String) {
        // The grammar of the OpenAPI document: 1–16 lowercase hex digits, a dot, an id of 1–64 of [A-Za-z0-9_-].
        guard let dot = encoded.firstIndex(of: ".") else { return nil }
        let hex = encoded[..<dot].utf8, id = String(encoded[encoded.index(after: dot)...])
        guard (1...16).contains(hex.count), hex.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }),
              let bits = UInt64(Substring(hex), radix: 16),
              (1...64).contains(id.utf8.count),
              id.utf8.allSatisfy({ $0 == 0x2D || $0 == 0x5F || (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) })
        else { return nil }
        // Any 64 bits are a position: a forged cursor gets a page (possibly empty), never an error or a wrong row.
        let value = Double(bitPattern: bits)
        time = value.isNaN ? -Double.infinity : value
        self.id = id
    }

    /// The opaque text: the time's bits in hex, a dot, the id.
    public var encoded: String { String(time.bitPattern, radix: 16) + "." + id }
}

/// One page of a newest-first list.
public struct Page<Item: Sendable>: Sendable {
    /// The items, newest first.
    public var items: [Item]
    /// Where the next page starts, or nil when no further item exists.
    public var nextCursor: PageCursor?

    /// A page.
    public init(items: [Item], nextCursor: PageCursor?) {
        self.items = items
        self.nextCursor = nextCursor
    }
}
