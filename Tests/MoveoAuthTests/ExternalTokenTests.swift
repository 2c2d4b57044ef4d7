import MoveoAuth
import Testing

/// Tokens made outside Swift (Python `cryptography`, Node `crypto`; see Fixtures/external/make_*), verified at their creation time.
@Suite("Tokens from other implementations")
struct ExternalTokenTests {
    private func verify(_ token: String, at createdAt: Double, compat: Bool = false) -> VerificationReport {
        TokenVerifier(keyring: TokenFactory.keyring, policy: VerificationPolicy(now: createdAt, compat: compat)).verify(token)
    }

    private func load(_ file: String) throws -> (createdAt: Double, context: String, tokens: [String: String]) {
        let parsed = try JSONParser.parse(Array(try Fixtures.data("external/" + file)))
        var tokens: [String: String] = [:]
        for (name, value) in parsed["tokens"]?.objectMembers ?? [] { tokens[name] = value.stringValue }
        return (parsed["created_at"]!.doubleValue!, JSONWriter.string(parsed["context"]!), tokens)
    }

    @Test("Python cryptography: plain, AES-256 and AES-128 contexts verify; MGF1-SHA-1 is the Java near miss")
    func python() throws {
        let fixture = try load("python_tokens.json")
        #expect(verify(fixture.tokens["plain"]!, at: fixture.createdAt).code == nil)
        for name in ["context_aes256", "context_aes128"] {
            let verified = try verify(fixture.tokens[name]!, at: fixture.createdAt).verified()
            #expect(verified.contextJSON.map { try! JSONParser.parse(Array($0.utf8)) } == (try JSONParser.parse(Array(fixture.context.utf8))))
            #expect(verified.subject == "py-user-1")
        }
        let nearMiss = verify(fixture.tokens["context_sha256_mgf1sha1"]!, at: fixture.createdAt)
        #expect(nearMiss.code == .contextKeyUnwrapFailed && nearMiss.error?.hint?.contains("MGF1-SHA-1") == true)
        #expect(verify(fixture.tokens["context_sha256_mgf1sha1"]!, at: fixture.createdAt, compat: true).code == nil)
        #expect(verify(fixture.tokens["plain"]!, at: fixture.createdAt + 10).code == .tokenExpired)
    }

    @Test("Node crypto: plain and OAEP-SHA-256 contexts verify; OAEP-SHA-1 is the node-rsa near miss")
    func node() throws {
        let fixture = try load("node_tokens.json")
        #expect(try verify(fixture.tokens["plain"]!, at: fixture.createdAt).verified().issuer == "node-backend")
        let verified = try verify(fixture.tokens["context_aes256"]!, at: fixture.createdAt).verified()
        #expect(verified.contextJSON == fixture.context)
        let nearMiss = verify(fixture.tokens["context_sha1"]!, at: fixture.createdAt)
        #expect(nearMiss.code == .contextKeyUnwrapFailed && nearMiss.error?.hint?.contains("SHA-1/MGF1-SHA-1") == true)
    }

    @Test("RFC 7515 Appendix A.2: the RS256 example verifies at the signature level")
    func rfc7515() throws {
        let n = "ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ"
        let key = try RSAPublicKey(jwk: [("kty", .string("RSA")), ("n", .string(n)), ("e", .string("AQAB"))])
        let token = "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7AAuHIm4Bh-0Qc_lF5YKt_O8W2Fp5jujGbds9uJdbF9CUAr7t1dnZcAcQjbKBYNX4BAynRFdiuB--f_nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHlb1L07Qe7K0GarZRmB_eSN9383LcOLn6_dO--xi12jzDwusC-eOkHWEsqtFZESc6BfI7noOPqvhJ1phCnvWh6IeYI2w9QOYEUipUTI8np6LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrBp0igcN_IoypGlUPQGe77Rw"
        let keyring = IntegrationKeyring(customerKeys: [.init(key)], platformKeys: [])
        let report = TokenVerifier(keyring: keyring, policy: VerificationPolicy(now: 1_300_819_370)).verify(token)
        #expect(report.checks[2].ok == true)
        #expect(report.code == .claimMissing && report.error?.claim == "sub")
    }
}

