/// The three context layers of a session and how they combine (CONTRACT §9): pure, no storage, no I/O.
///
/// The **effective** context is `public ⊕ variables ⊕ private`, later layers winning: objects merge member by
/// member, any other value replaces. A write to the public or variables layer names members; a written leaf whose
/// RFC 6901 pointer the private context defines — as a value of its own, or under a private value that is not an
/// object — is *ignored* (stored nowhere, reported); `null` removes a member from the layer written.
public enum ContextLayers {
    /// The largest layer, as compact JSON bytes.
    public static let maxLayerBytes = 65_536

    /// What a write did: the layer as it now is, and the pointers applied and ignored (each sorted).
    public struct WriteResult: Sendable, Equatable {
        /// The written layer (an object, possibly empty).
        public var layer: JSONValue
        /// Pointers of the leaves stored (or removed, for `null`).
        public var applied: [String]
        /// Pointers of the leaves the private context defines, which were not stored.
        public var ignored: [String]
    }

    /// The effective context: `public ⊕ variables ⊕ private`; an empty object when every layer is absent. Members are in
    /// the private context's order first, then the variables', then the public layer's (the values are `merge`'s).
    public static func effective(private privateLayer: JSONValue?, public publicLayer: JSONValue?, variables: JSONValue?) -> JSONValue {
        var result = JSONValue.object([])
        for layer in [privateLayer, variables, publicLayer] {
            if let layer { result = underlay(result, layer) }
        }
        return result
    }

    /// `bottom` under `top`: two objects merge member by member (top's order first, then bottom's new members); otherwise
    /// `top` stays. `underlay(a, b)` has the values of `merge(b, a)`.
    public static func underlay(_ top: JSONValue, _ bottom: JSONValue) -> JSONValue {
        guard case .object(var members) = top, case .object(let bottomMembers) = bottom else { return top }
        for (name, value) in bottomMembers {
            if let index = members.firstIndex(where: { $0.0 == name }) {
                members[index].1 = underlay(members[index].1, value)
            } else {
                members.append((name, value))
            }
        }
        return .object(members)
    }

    /// `over` merged onto `base`: two objects merge member by member (base's order first), any other value replaces.
    public static func merge(_ base: JSONValue, _ over: JSONValue) -> JSONValue {
        guard case .object(var members) = base, case .object(let overMembers) = over else { return over }
        for (name, value) in overMembers {
            if let index = members.firstIndex(where: { $0.0 == name }) {
                members[index].1 = merge(members[index].1, value)
            } else {
                members.append((name, value))
            }
        }
        return .object(members)
    }

    /// Writes `update`'s members into `layer` (nil: empty), skipping every leaf the private context defines.
    public static func write(_ update: [(String, JSONValue)], into layer: JSONValue?, private privateLayer: JSONValue?) -> WriteResult {
        var applied: [String] = []
        var ignored: [String] = []
        let start = layer?.objectMembers ?? []
        let members = write(update, into: start, privateNode: PrivateNode(privateLayer), path: [], applied: &applied, ignored: &ignored)
        return WriteResult(layer: .object(members), applied: applied.sorted(), ignored: ignored.sorted())
    }

    /// What the private context says about one path.
    private enum PrivateNode {
        /// Nothing: any write here is the layer's own.
        case absent
        /// An object: its members decide, member by member.
        case object([(String, JSONValue)])
        /// A value the private context fixes (a leaf, or anything under a non-object): every write here is ignored.
        case defined

        init(_ value: JSONValue?) {
            switch value {
            case nil: self = .absent
            case .object(let members)?: self = .object(members)
            case _?: self = .defined
            }
        }

        func child(_ name: String) -> PrivateNode {
            switch self {
            case .absent: .absent
            case .defined: .defined
            case .object(let members): PrivateNode(members.first { $0.0 == name }?.1)
            }
        }
    }

    private static func write(
        _ update: [(String, JSONValue)], into members: [(String, JSONValue)], privateNode: PrivateNode, path: [String],
        applied: inout [String], ignored: inout [String]
    ) -> [(String, JSONValue)] {
        var members = members
        for (name, value) in update {
            let childPath = path + [name]
            let childPrivate = privateNode.child(name)
            let index = members.firstIndex { $0.0 == name }
            if case .object(let nested) = value, !nested.isEmpty {
                if case .defined = childPrivate {
                    leaves(of: value, at: childPath, into: &ignored)
                    continue
                }
                let before = applied.count
                let existing = index.flatMap { members[$0].1.objectMembers } ?? []
                let written = write(nested, into: existing, privateNode: childPrivate, path: childPath, applied: &applied, ignored: &ignored)
                guard applied.count > before else { continue }
                if let index { members[index].1 = .object(written) } else { members.append((name, .object(written))) }
                continue
            }
            if case .absent = childPrivate {
                applied.append(JSONPointer.string(childPath))
                if case .null = value {
                    if let index { members.remove(at: index) }
                } else if let index {
                    members[index].1 = value
                } else {
                    members.append((name, value))
                }
            } else {
                ignored.append(JSONPointer.string(childPath))
            }
        }
        return members
    }

    /// The pointers of every leaf under `value` (a non-empty object's leaves; anything else is one leaf).
    private static func leaves(of value: JSONValue, at path: [String], into pointers: inout [String]) {
        guard case .object(let members) = value, !members.isEmpty else {
            pointers.append(JSONPointer.string(path))
            return
        }
        for (name, child) in members { leaves(of: child, at: path + [name], into: &pointers) }
    }

    /// The pointers of every leaf of `value`, in document order (for tests and the dashboard's origin marks).
    public static func leafPointers(of value: JSONValue) -> [String] {
        var pointers: [String] = []
        leaves(of: value, at: [], into: &pointers)
        return pointers
    }
}
