@_spi(Fuzzing) import MoveoAuth
import Testing

/// CONTRACT §3 step 7 and 8: the encrypted context, its near misses, and the documented sample.
@Suite("Encrypted context")
struct ContextTests {
    let factory = TokenFactory()

    static let sampleContext = #"{"user":{"gender":"male","credit_card":"123456789","password":"102324","email":"","display_name":"Panagiotis Karagiannis","avatar":"","address":"50 Pastor St, Paramus, NJ","language":"en","phone":"+123456789","is_vip":true,"external_details":{"from":"02-01-2022","agent":"C25","contract_id":"1234959595","has_requested_refund":true}}}"#

    private func token(_ context: [(String, JSONValue)]) throws -> String {
        try factory.token(TokenFactory.claims() + context)
    }

    @Test("the documentation's sample: its key and IV strings, AES-256-CBC, OAEP SHA-256 — decrypted to the same JSON")
    func documentedSample() throws {
        let key = Array("(H+MbQeThWmZq4t7w!z%C&F)J@NcRfUj".utf8)
        let iv = Array("*F-JaNdRgUkXp2s5".utf8)
        #expect(Base64.encode(key) == "KEgrTWJRZVRoV21acTR0N3cheiVDJkYpSkBOY1JmVWo=")
        #expect(Base64.encode(iv) == "KkYtSmFOZFJnVWtYcDJzNQ==")
        let verified = try TokenFactory.verify(try token(try TokenFactory.contextClaims(json: Self.sampleContext, key: key, iv: iv))).verified()
        #expect(verified.contextJSON == Self.sampleContext)
        #expect(verified.context?["user"]?["display_name"] == .string("Panagiotis Karagiannis"))
        #expect(verified.context?["user"]?["is_vip"] == .bool(true))
        #expect(verified.context?["user"]?["external_details"]?["contract_id"] == .string("1234959595"))
        #expect(verified.contextCipher == "AES-256-CBC")
    }

    @Test("the fuzzing entry after RSA unwrapping applies the same length rules, near misses and decryption")
    func afterUnwrapEntry() throws {
        let key = Array("(H+MbQeThWmZq4t7w!z%C&F)J@NcRfUj".utf8), iv = Array("*F-JaNdRgUkXp2s5".utf8)
        let context = Base64.encode(try AESCBC.encrypt(Array(Self.sampleContext.utf8), key: key, iv: iv))
        var warnings: [String] = []
        let strict = ContextDecryptor(platformKeys: [], compat: false)
        let decrypted = try strict.decrypt(context: context, unwrappedKey: key, unwrappedIV: iv, warnings: &warnings)
        #expect(JSONWriter.string(decrypted.value) == Self.sampleContext && decrypted.cipher == "AES-256-CBC")
        let asText = Array(Base64.encode(key).utf8)
        let refused = #expect(throws: AuthError.self) { try strict.decrypt(context: context, unwrappedKey: asText, unwrappedIV: iv, warnings: &warnings) }
        #expect(refused?.code == .contextKeyInvalid)
        let lenient = ContextDecryptor(platformKeys: [], compat: true)
        #expect(try lenient.decrypt(context: context, unwrappedKey: asText, unwrappedIV: iv, warnings: &warnings).plaintextLength == Self.sampleContext.utf8.count)
        #expect(warnings.count == 1)
    }

    @Test("a 16-byte key selects AES-128-CBC")
    func aes128() throws {
        let verified = try TokenFactory.verify(try token(try TokenFactory.contextClaims(key: Array(repeating: 1, count: 16)))).verified()
        #expect(verified.contextCipher == "AES-128-CBC")
    }

    @Test("a key or IV unwrapped by the previous platform key still decrypts")
    func previousPlatformKey() throws {
        let keyring = IntegrationKeyring(customerKeys: [.init(Fixtures.customerPrivate.publicKey)],
                                         platformKeys: [Fixtures.otherPrivate, Fixtures.platformPrivate])
        #expect(TokenFactory.verify(try token(try TokenFactory.contextClaims()), keyring: keyring).code == nil)
    }

    @Test("some but not all context claims, or one not a string, is context_incomplete", arguments: [0, 1, 2, 3])
    func incomplete(variant: Int) throws {
        var claims = try TokenFactory.contextClaims()
        switch variant {
        case 0: claims.removeFirst()
        case 1: claims.removeLast()
        case 2: claims[1].1 = .number("5")
        default: claims[0].1 = .null
        }
        #expect(TokenFactory.verify(try token(claims)).code == .contextIncomplete)
    }

    @Test("a key encrypted for another platform key is context_key_unwrap_failed with a hint")
    func otherKey() throws {
        let claims = try TokenFactory.contextClaims(platform: Fixtures.otherPrivate.publicKey)
        let error = try #require(TokenFactory.verify(try token(claims)).error)
        #expect(error.code == .contextKeyUnwrapFailed && error.claim == "encryption_key")
        #expect(error.hint?.contains("another key") == true)
    }

    @Test("encryption_key not base64 is context_key_unwrap_failed; init_vector likewise")
    func notBase64() throws {
        var claims = try TokenFactory.contextClaims()
        claims[1].1 = .string("***")
        #expect(TokenFactory.verify(try token(claims)).code == .contextKeyUnwrapFailed)
        claims = try TokenFactory.contextClaims()
        claims[2].1 = .string("not base64!")
        let error = TokenFactory.verify(try token(claims)).error
        #expect(error?.code == .contextKeyUnwrapFailed && error?.claim == "init_vector")
    }

    @Test("OAEP near misses are refused with a hint naming the variant, and accepted under compat", arguments: OAEPVariant.nearMisses)
    func oaepNearMiss(variant: OAEPVariant) throws {
        let tokenText = try token(try TokenFactory.contextClaims(variant: variant))
        let error = try #require(TokenFactory.verify(tokenText).error)
        #expect(error.code == .contextKeyUnwrapFailed)
        #expect(error.hint?.contains(variant.rawValue) == true)
        let report = TokenFactory.verify(tokenText, compat: true)
        #expect(report.code == nil)
        #expect(report.warnings.count == 2 && report.warnings[0] == error.hint)
    }

    @Test("a key or IV base64-encoded before RSA encryption is context_key_invalid / context_iv_invalid, accepted under compat")
    func base64BeforeEncryption() throws {
        let key = Array(repeating: UInt8(3), count: 32), iv = Array(repeating: UInt8(4), count: 16)
        let keyClaims = try TokenFactory.contextClaims(key: key, iv: iv, wrappedKey: Array(Base64.encode(key).utf8))
        let keyError = try #require(TokenFactory.verify(try token(keyClaims)).error)
        #expect(keyError.code == .contextKeyInvalid && keyError.hint?.contains("base64") == true)
        #expect(TokenFactory.verify(try token(keyClaims), compat: true).code == nil)

        let ivClaims = try TokenFactory.contextClaims(key: key, iv: iv, wrappedIV: Array(Base64.encode(iv).utf8))
        #expect(TokenFactory.verify(try token(ivClaims)).code == .contextIVInvalid)
        #expect(TokenFactory.verify(try token(ivClaims), compat: true).code == nil)
    }

    @Test("an unwrapped key of 24 bytes is context_key_invalid; an IV of 8 bytes is context_iv_invalid")
    func wrongLengths() throws {
        #expect(TokenFactory.verify(try token(try TokenFactory.contextClaims(wrappedKey: Array(repeating: 1, count: 24)))).code == .contextKeyInvalid)
        #expect(TokenFactory.verify(try token(try TokenFactory.contextClaims(wrappedIV: Array(repeating: 1, count: 8)))).code == .contextIVInvalid)
    }

    @Test("base64url in a context claim fails that claim's step with a hint, and passes under compat")
    func base64url() throws {
        var claims = try TokenFactory.contextClaims()
        for index in claims.indices {
            claims[index].1 = .string(claims[index].1.stringValue!.replacingOccurrences("+", "-").replacingOccurrences("/", "_").replacingOccurrences("=", ""))
        }
        let report = TokenFactory.verify(try token(claims))
        if claims[1].1.stringValue!.contains(where: { $0 == "-" || $0 == "_" }) {
            #expect(report.code == .contextKeyUnwrapFailed && report.error?.hint?.contains("base64url") == true)
        }
        #expect(TokenFactory.verify(try token(claims), compat: true).code == nil)
    }

    @Test("context not base64, not whole blocks, or badly padded is context_decrypt_failed")
    func decryptFailures() throws {
        var claims = try TokenFactory.contextClaims()
        claims[0].1 = .string("@@@@")
        #expect(TokenFactory.verify(try token(claims)).code == .contextDecryptFailed)
        claims[0].1 = .string(Base64.encode(Array(repeating: UInt8(1), count: 20)))
        #expect(TokenFactory.verify(try token(claims)).code == .contextDecryptFailed)
        let wrongIV = try TokenFactory.contextClaims(iv: Array(repeating: 1, count: 16))
        claims = try TokenFactory.contextClaims(key: Array(repeating: 2, count: 32))
        claims[2] = wrongIV[2]
        claims[0].1 = .string(Base64.encode(try AESCBC.encrypt(Array("{}".utf8), key: Array(repeating: 5, count: 32), iv: Array(repeating: 9, count: 16))))
        #expect(TokenFactory.verify(try token(claims)).code == .contextDecryptFailed)
    }

    @Test("a plaintext that is not a JSON object is context_not_json", arguments: [
        "not json", "[1,2]", #""{\"user\":1}""#, #"{"a":1,"a":2}"#,
    ])
    func notJSON(plaintext: String) throws {
        #expect(TokenFactory.verify(try token(try TokenFactory.contextClaims(json: plaintext))).code == .contextNotJSON)
    }

    @Test("a context JSON-encoded twice gets a hint saying so")
    func doubleEncoded() throws {
        let error = TokenFactory.verify(try token(try TokenFactory.contextClaims(json: #""{\"user\":1}""#))).error
        #expect(error?.hint?.contains("twice") == true)
    }

    @Test("a plaintext of exactly 65,536 bytes is accepted; 65,537 is context_too_large")
    func sizeLimit() throws {
        func context(ofSize size: Int) -> String {
            let filler = String(repeating: "x", count: size - #"{"a":""}"#.utf8.count)
            return #"{"a":""# + filler + #""}"#
        }
        #expect(TokenFactory.verify(try token(try TokenFactory.contextClaims(json: context(ofSize: 65_536)))).code == nil)
        #expect(TokenFactory.verify(try token(try TokenFactory.contextClaims(json: context(ofSize: 65_537)))).code == .contextTooLarge)
    }

    @Test("claims are decoded in order: a bad encryption_key is reported before a bad context")
    func order() throws {
        var claims = try TokenFactory.contextClaims()
        claims[0].1 = .string("@@@")
        claims[1].1 = .string("@@@")
        #expect(TokenFactory.verify(try token(claims)).code == .contextKeyUnwrapFailed)
    }
}

extension String {
    func replacingOccurrences(_ target: String, _ replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
