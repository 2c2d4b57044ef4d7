import MoveoAuth
import MoveoStore

// MARK: - The context layers of a stored session (CONTRACT §9)

extension SessionRecord {
    /// The private layer: the context the token carried, pinned at creation.
    var privateLayer: JSONValue? { Self.parsed(context) }

    /// The public layer the browser wrote.
    var publicLayer: JSONValue? { Self.parsed(publicContext) }

    /// The variables layer webhook answers wrote.
    var variablesLayer: JSONValue? { Self.parsed(variables) }

    /// What the dialog and webhooks see: `public ⊕ variables ⊕ private`.
    var effectiveContext: JSONValue {
        ContextLayers.effective(private: privateLayer, public: publicLayer, variables: variablesLayer)
    }

    private static func parsed(_ text: String?) -> JSONValue? {
        guard let text else { return nil }
        return try? JSONParser.parse(Array(text.utf8))
    }
}
