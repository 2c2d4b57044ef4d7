import MoveoAuth
import Testing

/// CONTRACT §9: the deep merge of the three layers and which written pointers the private context defines.
@Suite("Context layers")
struct ContextLayersTests {
    static func json(_ text: String) -> JSONValue { try! JSONParser.parse(Array(text.utf8)) }

    struct WriteCase: CustomTestStringConvertible, Sendable {
        let name: String
        let privateLayer: String?
        let layer: String?
        let update: String
        let stored: String
        let applied: [String]
        let ignored: [String]
        var testDescription: String { name }
    }

    static let writes: [WriteCase] = [
        WriteCase(name: "the issue's sample: a nickname beside a private is_vip; email is private too",
                  privateLayer: #"{"user":{"is_vip":true,"email":""}}"#, layer: nil,
                  update: #"{"user":{"is_vip":false,"nickname":"Zed","email":"z@x"}}"#,
                  stored: #"{"user":{"nickname":"Zed"}}"#, applied: ["/user/nickname"], ignored: ["/user/email", "/user/is_vip"]),
        WriteCase(name: "nested objects merge into the stored layer member by member",
                  privateLayer: nil, layer: #"{"a":{"b":1,"c":2}}"#, update: #"{"a":{"c":3,"d":{"e":4}}}"#,
                  stored: #"{"a":{"b":1,"c":3,"d":{"e":4}}}"#, applied: ["/a/c", "/a/d/e"], ignored: []),
        WriteCase(name: "arrays are leaves and replace whole",
                  privateLayer: #"{"tags":["vip"]}"#, layer: #"{"list":[1,2]}"#, update: #"{"list":[3],"tags":[]}"#,
                  stored: #"{"list":[3]}"#, applied: ["/list"], ignored: ["/tags"]),
        WriteCase(name: "a write under a private scalar is ignored at every depth",
                  privateLayer: #"{"plan":"gold"}"#, layer: nil, update: #"{"plan":{"name":"free","level":{"n":0}}}"#,
                  stored: "{}", applied: [], ignored: ["/plan/level/n", "/plan/name"]),
        WriteCase(name: "a scalar over a private object is ignored",
                  privateLayer: #"{"user":{"id":7}}"#, layer: nil, update: #"{"user":"nobody"}"#,
                  stored: "{}", applied: [], ignored: ["/user"]),
        WriteCase(name: "null removes a member of the layer written; a private one stays ignored",
                  privateLayer: #"{"user":{"is_vip":true}}"#, layer: #"{"user":{"nickname":"Zed"},"theme":"dark"}"#,
                  update: #"{"user":{"nickname":null,"is_vip":null},"theme":null}"#,
                  stored: #"{"user":{}}"#, applied: ["/theme", "/user/nickname"], ignored: ["/user/is_vip"]),
        WriteCase(name: "pointers escape ~ and / (RFC 6901)",
                  privateLayer: #"{"a/b":1}"#, layer: nil, update: #"{"a/b":2,"c~d":{"e/f~":3}}"#,
                  stored: #"{"c~d":{"e/f~":3}}"#, applied: ["/c~0d/e~1f~0"], ignored: ["/a~1b"]),
        WriteCase(name: "an empty object is a leaf: applied beside nothing, ignored over a private object",
                  privateLayer: #"{"p":{"x":1}}"#, layer: nil, update: #"{"q":{},"p":{}}"#,
                  stored: #"{"q":{}}"#, applied: ["/q"], ignored: ["/p"]),
        WriteCase(name: "an object replaces a stored scalar of the same layer",
                  privateLayer: nil, layer: #"{"a":1}"#, update: #"{"a":{"b":2}}"#,
                  stored: #"{"a":{"b":2}}"#, applied: ["/a/b"], ignored: []),
    ]

    @Test("writes", arguments: writes)
    func write(_ example: WriteCase) {
        let result = ContextLayers.write(Self.json(example.update).objectMembers!, into: example.layer.map(Self.json),
                                         private: example.privateLayer.map(Self.json))
        #expect(JSONWriter.string(result.layer) == example.stored)
        #expect(result.applied == example.applied)
        #expect(result.ignored == example.ignored)
    }

    @Test("effective = public ⊕ variables ⊕ private: later layers win, objects merge, members are added beside private ones")
    func effective() {
        let effective = ContextLayers.effective(
            private: Self.json(#"{"user":{"is_vip":true,"email":""}}"#),
            public: Self.json(#"{"user":{"is_vip":false,"nickname":"Zed"},"page":"home","plan":"free"}"#),
            variables: Self.json(#"{"plan":{"tier":2},"user":{"nickname":"Z"}}"#))
        #expect(JSONWriter.string(effective) == #"{"user":{"is_vip":true,"email":"","nickname":"Z"},"plan":{"tier":2},"page":"home"}"#)
        #expect(ContextLayers.effective(private: nil, public: nil, variables: nil) == .object([]))
    }

    @Test("property: underlay(a, b) has exactly the values of merge(b, a), whatever the layers")
    func underlayIsMergeReversed() {
        var random = SplitMix(seed: 0xBEEF)
        for _ in 0..<2_000 {
            let (a, b) = (random.object(depth: 4), random.object(depth: 4))
            #expect(Self.sorted(ContextLayers.underlay(a, b)) == Self.sorted(ContextLayers.merge(b, a)))
        }
    }

    /// The value with every object's members sorted by name (to compare values regardless of member order).
    static func sorted(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let members): .object(members.map { ($0.0, sorted($0.1)) }.sorted { $0.0 < $1.0 })
        case .array(let items): .array(items.map(sorted))
        default: value
        }
    }

    @Test("JSON Pointer tokens round-trip, and malformed escapes are refused")
    func pointers() {
        #expect(JSONPointer.string(["a/b", "~c", ""]) == "/a~1b/~0c/")
        #expect(JSONPointer.tokens("/a~1b/~0c/") == ["a/b", "~c", ""])
        #expect(JSONPointer.tokens("/~01") == ["~1"])
        #expect(JSONPointer.tokens("") == [])
        #expect(JSONPointer.tokens("a") == nil)
        #expect(JSONPointer.tokens("/~2") == nil)
    }

    @Test("property: whatever the public and variables layers hold, every private pointer of the effective context equals the private one")
    func privateAlwaysWins() {
        var random = SplitMix(seed: 0x5EED)
        for _ in 0..<2_000 {
            let privateLayer = random.object(depth: 3)
            var publicLayer: JSONValue? = nil
            var variables: JSONValue? = nil
            for round in 0..<3 {
                let written = ContextLayers.write(random.object(depth: 4).objectMembers!, into: round % 2 == 0 ? publicLayer : variables,
                                                  private: privateLayer)
                // Nothing a write stored is a pointer the private context defines.
                // (An empty object is structure, not a value: it merges with anything and overrides nothing.)
                for pointer in ContextLayers.leafPointers(of: written.layer) where pointer != "" {
                    if JSONPointer.value(at: JSONPointer.tokens(pointer)!, in: written.layer) == .object([]) { continue }
                    #expect(!Self.definedByPrivate(pointer, privateLayer), "stored \(pointer)")
                }
                if round % 2 == 0 { publicLayer = written.layer } else { variables = written.layer }
            }
            // Unfiltered layers too: the merge alone keeps private values.
            let effective = ContextLayers.effective(private: privateLayer, public: publicLayer ?? random.object(depth: 4),
                                                    variables: random.object(depth: 4))
            for pointer in ContextLayers.leafPointers(of: privateLayer) where pointer != "" {
                let path = JSONPointer.tokens(pointer)!
                let privateValue = JSONPointer.value(at: path, in: privateLayer)
                if privateValue == .object([]) {
                    // Members the private context does not define may be added beside it.
                    #expect(JSONPointer.value(at: path, in: effective)?.objectMembers != nil, "at \(pointer)")
                } else {
                    #expect(JSONPointer.value(at: path, in: effective) == privateValue, "at \(pointer)")
                }
            }
        }
    }

    /// Whether the private context fixes `pointer`: it has a value there, or a non-object value on the way.
    static func definedByPrivate(_ pointer: String, _ privateLayer: JSONValue) -> Bool {
        var node = privateLayer
        for token in JSONPointer.tokens(pointer)! {
            guard case .object = node else { return true }
            guard let next = node[token] else { return false }
            node = next
        }
        return true
    }
}

/// A small deterministic generator of JSON objects over a few shared names, so layers collide often.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }

    static let names = ["user", "is_vip", "a", "b/c", "~x", "email", "plan"]

    mutating func value(depth: Int) -> JSONValue {
        switch below(depth > 0 ? 7 : 5) {
        case 0: return .null
        case 1: return .bool(below(2) == 0)
        case 2: return .number(String(below(100)))
        case 3: return .string(Self.names[below(Self.names.count)])
        case 4: return .array([.number("1")])
        default: return object(depth: depth - 1)
        }
    }

    mutating func object(depth: Int) -> JSONValue {
        var members: [(String, JSONValue)] = []
        for _ in 0..<below(4) {
            let name = Self.names[below(Self.names.count)]
            if !members.contains(where: { $0.0 == name }) { members.append((name, value(depth: depth))) }
        }
        return .object(members)
    }
}
