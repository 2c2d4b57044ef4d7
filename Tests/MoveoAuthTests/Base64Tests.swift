import MoveoAuth
import Testing

@Suite("Base64 and JSON primitives")
struct PrimitiveTests {
    @Test("base64url without padding round-trips; padding, + and / and whitespace are refused")
    func base64url() {
        let bytes: [UInt8] = [0xFB, 0xFF, 0x00, 0x10]
        let text = Base64.urlEncode(bytes)
        #expect(text == "-_8AEA")
        #expect(Base64.decode(text, alphabet: .url, padding: .forbidden) == bytes)
        #expect(Base64.decode("-_8AEA==", alphabet: .url, padding: .forbidden) == nil)
        #expect(Base64.decode("+/8AEA", alphabet: .url, padding: .forbidden) == nil)
        #expect(Base64.decode("-_8A EA", alphabet: .url, padding: .forbidden) == nil)
        #expect(Base64.decode("A", alphabet: .url, padding: .forbidden) == nil)
    }

    @Test("standard base64 accepts optional padding and refuses non-canonical trailing bits")
    func standard() {
        #expect(Base64.decode("KkYtSmFOZFJnVWtYcDJzNQ==", alphabet: .standard, padding: .optional) == Array("*F-JaNdRgUkXp2s5".utf8))
        #expect(Base64.decode("KkYtSmFOZFJnVWtYcDJzNQ", alphabet: .standard, padding: .optional) == Array("*F-JaNdRgUkXp2s5".utf8))
        #expect(Base64.decode("KkYtSmFOZFJnVWtYcDJzNR==", alphabet: .standard, padding: .optional) == nil)
        #expect(Base64.decode("KkYt=SmFO", alphabet: .standard, padding: .optional) == nil)
    }

    @Test("the JSON parser refuses duplicate names, deep nesting, bad UTF-8 and trailing text")
    func jsonStrictness() {
        #expect(throws: JSONParser.Failure.duplicateMember("a")) { try JSONParser.parse(Array(#"{"a":1,"a":2}"#.utf8)) }
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: JSONParser.Failure.tooDeep(limit: JSONParser.defaultMaxDepth)) { try JSONParser.parse(Array(deep.utf8)) }
        #expect(throws: JSONParser.Failure.invalidUTF8) { try JSONParser.parse([0x22, 0xFF, 0x22]) }
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(Array("{} x".utf8)) }
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(Array("NaN".utf8)) }
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(Array("01".utf8)) }
    }

    @Test("JSON keeps member order, number text and escapes through a round trip")
    func jsonRoundTrip() throws {
        let text = #"{"b":1.50,"a":[true,null,"\u00e9\n\"x\"\ud83d\ude00"],"c":{"d":-2e10}}"#
        let value = try JSONParser.parse(Array(text.utf8))
        #expect(JSONWriter.string(value) == #"{"b":1.50,"a":[true,null,"é\n\"x\"😀"],"c":{"d":-2e10}}"#)
        #expect(value["b"]?.doubleValue == 1.5)
        #expect(try JSONParser.parse(Array(JSONWriter.string(value).utf8)) == value)
    }

    @Test("strings: runs without escapes, escapes at either end, multi-byte text, and control characters")
    func jsonStrings() throws {
        let cases: [(String, String)] = [
            (#""plain ascii""#, "plain ascii"), (#""""#, ""), (#""\n""#, "\n"), (#""\"x""#, "\"x"), (#""x\\""#, "x\\"),
            (#""ψ→€ and 😀""#, "ψ→€ and 😀"), (#""a\tb\u00e9c\/d""#, "a\tbéc/d"),
            (#""\ud83d\ude00 then text""#, "😀 then text"),
        ]
        for (json, expected) in cases {
            #expect(try JSONParser.parse(Array(json.utf8)).stringValue == expected, "\(json)")
        }
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(Array("\"a\u{01}b\"".utf8)) }
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(Array(#""unterminated"#.utf8)) }
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(Array(#""\ud83d alone""#.utf8)) }
        // The writer appends strings that need no escape whole, and escapes the rest.
        #expect(JSONWriter.string(.string("plain ψ€")) == #""plain ψ€""#)
        #expect(JSONWriter.string(.string("q\"b\\n\nt\u{01}\u{7F}")) == #""q\"b\\n\nt\u0001\u007f""#)
    }

    @Test("constant-time comparison")
    func constantTime() {
        #expect(Digest.constantTimeEquals("secret-token", "secret-token"))
        #expect(!Digest.constantTimeEquals("secret-token", "secret-tokem"))
        #expect(!Digest.constantTimeEquals("secret", "secret-token"))
    }
}
