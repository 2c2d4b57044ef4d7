import MoveoAuth
import Testing

/// Project Wycheproof vectors (see Fixtures/wycheproof/ATTRIBUTION.md): every valid accepted, every invalid refused.
@Suite("Wycheproof vectors")
struct WycheproofTests {
    struct Tally: CustomStringConvertible {
        var valid = 0, invalid = 0, acceptable = 0
        var description: String { "\(valid) valid accepted, \(invalid) invalid refused, \(acceptable) acceptable seen" }
    }

    private func groups(_ file: String) throws -> [[String: Any]] {
        try Fixtures.json("wycheproof/" + file)["testGroups"] as? [[String: Any]] ?? []
    }

    @Test("RSASSA-PKCS1-v1_5 SHA-256 signatures (RS256)")
    func rsaSignatures() throws {
        var tally = Tally()
        for group in try groups("rsa_signature_2048_sha256_test.json") {
            let key = try RSAPublicKey(importing: group["publicKeyPem"] as! String)
            for test in group["tests"] as! [[String: Any]] {
                let accepted = key.verifyRS256(signature: Fixtures.bytes(hex: test["sig"] as! String), message: Fixtures.bytes(hex: test["msg"] as! String))
                switch test["result"] as! String {
                case "valid": #expect(accepted, "tcId \(test["tcId"]!)"); tally.valid += 1
                case "invalid": #expect(!accepted, "tcId \(test["tcId"]!)"); tally.invalid += 1
                default: tally.acceptable += 1
                }
            }
        }
        print("Wycheproof RS256: \(tally)")
        #expect(tally.valid == 9 && tally.invalid == 249)
    }

    @Test("the RS256 groups of the JWS file, at the signature level")
    func jwsRS256() throws {
        var tally = Tally()
        for group in try groups("json_web_signature_test.json") {
            guard let jwk = group["public"] as? [String: Any], jwk["alg"] as? String == "RS256" else { continue }
            let members: [(String, JSONValue)] = jwk.compactMap { name, value in
                if let text = value as? String { return (name, .string(text)) }
                if let list = value as? [String] { return (name, .array(list.map { .string($0) })) }
                return nil
            }
            let keyring = IntegrationKeyring(customerKeys: [.init(try RSAPublicKey(jwk: members))], platformKeys: [])
            for test in group["tests"] as! [[String: Any]] {
                guard let token = test["jws"] as? String else { continue }
                let accepted = Self.signatureHolds(token, keyring: keyring)
                switch test["result"] as! String {
                case "valid": #expect(accepted, "tcId \(test["tcId"]!)"); tally.valid += 1
                case "invalid": #expect(!accepted, "tcId \(test["tcId"]!) \(test["comment"]!)"); tally.invalid += 1
                default: tally.acceptable += 1
                }
            }
        }
        print("Wycheproof JWS RS256: \(tally)")
        #expect(tally.valid == 8 && tally.invalid == 225)
    }

    /// Steps 1–4 of the pipeline: format, alg, signature (the payload of these vectors is not a claims set).
    static func signatureHolds(_ token: String, keyring: IntegrationKeyring) -> Bool {
        let report = TokenVerifier(keyring: keyring, policy: VerificationPolicy(now: 0)).verify(token)
        return report.checks.first { $0.step == .signature }?.ok == true
    }

    @Test("RSA-OAEP decryption for the documented scheme and both near misses", arguments: [
        ("rsa_oaep_2048_sha256_mgf1sha256_test.json", OAEPVariant.sha256MGF1SHA256),
        ("rsa_oaep_2048_sha1_mgf1sha1_test.json", OAEPVariant.sha1MGF1SHA1),
        ("rsa_oaep_2048_sha256_mgf1sha1_test.json", OAEPVariant.sha256MGF1SHA1),
    ])
    func oaep(file: String, variant: OAEPVariant) throws {
        var tally = Tally()
        var labelled = 0
        for group in try groups(file) {
            let key = try RSAPrivateKey(pem: group["privateKeyPem"] as! String)
            for test in group["tests"] as! [[String: Any]] {
                let plain = key.oaepDecrypt(Fixtures.bytes(hex: test["ct"] as! String), variant: variant)
                if !(test["label"] as! String).isEmpty {
                    #expect(plain == nil, "tcId \(test["tcId"]!): a non-empty label must not decrypt under the empty label")
                    labelled += 1
                    continue
                }
                switch test["result"] as! String {
                case "valid":
                    #expect(plain == Fixtures.bytes(hex: test["msg"] as! String), "tcId \(test["tcId"]!)"); tally.valid += 1
                case "invalid": #expect(plain == nil, "tcId \(test["tcId"]!)"); tally.invalid += 1
                default: tally.acceptable += 1
                }
            }
        }
        print("Wycheproof \(variant.rawValue): \(tally), \(labelled) labelled refused")
        #expect(tally.valid > 0 && tally.invalid > 0)
    }

    @Test("AES-CBC with PKCS#5 padding, 128- and 256-bit keys")
    func aesCBC() throws {
        var tally = Tally()
        for group in try groups("aes_cbc_pkcs5_test.json") where [128, 256].contains(group["keySize"] as! Int) {
            for test in group["tests"] as! [[String: Any]] {
                let plain = try? AESCBC.decrypt(Fixtures.bytes(hex: test["ct"] as! String), key: Fixtures.bytes(hex: test["key"] as! String),
                                                iv: Fixtures.bytes(hex: test["iv"] as! String))
                switch test["result"] as! String {
                case "valid": #expect(plain == Fixtures.bytes(hex: test["msg"] as! String), "tcId \(test["tcId"]!)"); tally.valid += 1
                case "invalid": #expect(plain == nil, "tcId \(test["tcId"]!)"); tally.invalid += 1
                default: tally.acceptable += 1
                }
            }
        }
        print("Wycheproof AES-CBC-PKCS5 (128/256): \(tally)")
        #expect(tally.valid == 48 && tally.invalid == 96)
    }
}
