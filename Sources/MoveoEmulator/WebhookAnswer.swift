import Foundation
import MoveoAuth

/// A webhook's 2xx answer read by CONTRACT §10: `{"output"?:{…},"responses"?:[…]}`, a `text/*` body, or nothing.
struct WebhookAnswer: Sendable, Equatable {
    /// Context variables to merge into the session's variables layer, or nil.
    var output: JSONValue?
    /// The responses as the web channel delivers them (`texts` → `text`), in the answer's order.
    var responses: [JSONValue]

    /// The longest text kept from one text response, in characters.
    static let maxText = 4096

    /// Reads an answer body; the failure says why it is not one (the message is stored all the same).
    static func parse(_ bytes: [UInt8], contentType: String) -> Result<WebhookAnswer, WebhookClient.Reason> {
        let text = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty { return .success(WebhookAnswer(output: nil, responses: [])) }
        let lowered = contentType.lowercased()
        guard lowered.contains("json") || (!lowered.hasPrefix("text/") && text.first == "{") else {
            return .success(WebhookAnswer(output: nil, responses: [textResponse(text, options: nil)]))
        }
        guard let value = try? JSONParser.parse(Array(text.utf8)), value.objectMembers != nil else {
            return .failure(WebhookClient.Reason(text: "the webhook's answer is not a JSON object"))
        }
        var answer = WebhookAnswer(output: nil, responses: [])
        switch value["output"] {
        case nil, .null?: break
        case .object?: answer.output = value["output"]
        case let other?: return .failure(WebhookClient.Reason(text: "the webhook's output is a JSON \(other.typeName), not an object"))
        }
        switch value["responses"] {
        case nil, .null?: break
        case .array(let list)?: answer.responses = list.map(webResponse)
        case let other?: return .failure(WebhookClient.Reason(text: "the webhook's responses is a JSON \(other.typeName), not an array"))
        }
        return .success(answer)
    }

    /// One action as the web channel delivers it: `{"type":"text","texts":[…],"options"?}` becomes
    /// `{"type":"text","text":<first of texts>,"options"?}`; other types pass through as given.
    static func webResponse(_ action: JSONValue) -> JSONValue {
        guard action["type"] == .string("text") else { return action }
        let text: String
        if case .array(let texts)? = action["texts"] {
            text = texts.first?.stringValue ?? ""
        } else {
            text = action["text"]?.stringValue ?? ""
        }
        return textResponse(text, options: action["options"])
    }

    /// `{"type":"text","text","options"?}`; options are kept when they are an array.
    static func textResponse(_ text: String, options: JSONValue?) -> JSONValue {
        var members: [(String, JSONValue)] = [("type", .string("text")), ("text", .string(String(text.prefix(maxText))))]
        if case .array? = options { members.append(("options", options!)) }
        return .object(members)
    }
}
