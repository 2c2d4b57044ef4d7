import MoveoAuth
import Testing

/// CONTRACT §3 steps 1–6, one broken rule per token.
@Suite("Identity token rules")
struct TokenRuleTests {
    let factory = TokenFactory()
    let now = TokenFactory.now

    @Test("a well-formed token verifies and every check passes")
    func accepted() throws {
        let report = TokenFactory.verify(try factory.token(TokenFactory.claims()))
        let verified = try report.verified()
        #expect(verified.issuer == "acme-backend" && verified.subject == "user-42" && verified.context == nil)
        #expect(report.checks.map(\.ok) == Array(repeating: true, count: 6))
        #expect(report.checks.map(\.step) == [.format, .alg, .signature, .claims, .lifetime, .context])
    }

    @Test("an absent or empty token is token_missing")
    func missing() {
        #expect(TokenFactory.verify(nil).code == .tokenMissing)
        #expect(TokenFactory.verify("").code == .tokenMissing)
    }

    @Test("262,144 characters reach the parser; one more is token_too_large")
    func sizeLimit() {
        let edge = String(repeating: "a", count: CompactJWS.maxLength)
        #expect(TokenFactory.verify(edge).code == .tokenMalformed)
        #expect(TokenFactory.verify(edge + "a").code == .tokenTooLarge)
    }

    @Test("malformed tokens are token_malformed", arguments: [
        "abc", "a.b", "a.b.c.d", "eyJhbGciOiJSUzI1NiJ9.e30.a=", "eyJhbGciOiJSUzI1NiJ9.e30.a+b",
        "bm90IGpzb24.e30.AAAA", "WzFd.e30.AAAA", "eyJhbGciOiJSUzI1NiJ9 .e30.AAAA",
    ])
    func malformed(token: String) {
        let report = TokenFactory.verify(token)
        #expect(report.code == .tokenMalformed)
        #expect(report.checks[0].ok == false && report.checks[1].ok == nil)
    }

    @Test("a header naming alg twice is token_malformed")
    func duplicateHeaderMember() throws {
        let token = try factory.raw(header: #"{"alg":"RS256","alg":"none"}"#, payload: JSONWriter.string(.object(TokenFactory.claims())))
        #expect(TokenFactory.verify(token).code == .tokenMalformed)
    }

    @Test("a payload naming sub twice is token_malformed, after the signature")
    func duplicatePayloadMember() throws {
        let token = try factory.raw(payload: #"{"iss":"a","sub":"x","sub":"y","exp":1800000010}"#)
        let report = TokenFactory.verify(token)
        #expect(report.code == .tokenMalformed)
        #expect(report.checks[2].ok == true && report.checks[3].ok == false)
    }

    @Test("alg other than exactly RS256 is alg_not_allowed", arguments: [
        #"{"alg":"none"}"#, #"{"alg":"HS256"}"#, #"{"alg":"rs256"}"#, #"{"alg":"RS512"}"#, #"{"alg":"RS256 "}"#,
        #"{"typ":"JWT"}"#, #"{"alg":null}"#,
    ])
    func algorithm(header: String) throws {
        let token = try factory.raw(header: header, payload: JSONWriter.string(.object(TokenFactory.claims())))
        let report = TokenFactory.verify(token)
        #expect(report.code == .algNotAllowed)
        #expect(report.error?.hint != nil || header.contains("null"))
    }

    @Test("crit is header_unsupported, and alg and crit are judged before the keys")
    func crit() throws {
        let token = try factory.raw(header: #"{"alg":"RS256","crit":["exp"]}"#, payload: JSONWriter.string(.object(TokenFactory.claims())))
        #expect(TokenFactory.verify(token).code == .headerUnsupported)
        let empty = IntegrationKeyring(customerKeys: [], platformKeys: [])
        #expect(TokenFactory.verify(token, keyring: empty).code == .headerUnsupported)
        let none = try factory.raw(header: #"{"alg":"none"}"#, payload: "{}")
        #expect(TokenFactory.verify(none, keyring: empty).code == .algNotAllowed)
        #expect(TokenFactory.verify(try factory.token(TokenFactory.claims()), keyring: empty).code == .noCustomerKey)
    }

    @Test("a signature by another key is signature_invalid, checked before the payload is read")
    func signature() throws {
        let other = TokenSigner(signingKey: Fixtures.otherPrivate)
        let token = try other.signRaw(header: Array(#"{"alg":"RS256"}"#.utf8), payload: Array("not json".utf8))
        let report = TokenFactory.verify(token)
        #expect(report.code == .signatureInvalid)
        #expect(report.claims == nil)
    }

    @Test("a token signed with the platform key gets a hint saying so")
    func signedWithPlatformKey() throws {
        let token = try TokenSigner(signingKey: Fixtures.platformPrivate).sign(claims: TokenFactory.claims())
        let error = try #require(TokenFactory.verify(token).error)
        #expect(error.code == .signatureInvalid)
        #expect(error.hint?.contains("platform key") == true)
    }

    @Test("kid naming a key selects it; an unknown kid tries every key")
    func kidSelection() throws {
        let customer = Fixtures.customerPrivate.publicKey
        let keyring = IntegrationKeyring(customerKeys: [.init(Fixtures.otherPrivate.publicKey), .init(customer)], platformKeys: [])
        let unknown = try factory.signer.sign(claims: TokenFactory.claims(), extraHeader: [("kid", .string("../../etc/passwd' OR 1=1"))])
        #expect(try TokenFactory.verify(unknown, keyring: keyring).verified().keyID == customer.thumbprint)
        let named = try factory.signer.sign(claims: TokenFactory.claims(), extraHeader: [("kid", .string(customer.thumbprint))])
        #expect(try TokenFactory.verify(named, keyring: keyring).verified().keyID == customer.thumbprint)
        let wrong = try factory.signer.sign(claims: TokenFactory.claims(), extraHeader: [("kid", .string(Fixtures.otherPrivate.publicKey.thumbprint))])
        #expect(TokenFactory.verify(wrong, keyring: keyring).code == .signatureInvalid)
    }

    @Test("a missing iss, sub or exp is claim_missing naming it", arguments: ["iss", "sub", "exp"])
    func claimMissing(name: String) throws {
        let report = TokenFactory.verify(try factory.token(TokenFactory.claims().filter { $0.0 != name }))
        #expect(report.code == .claimMissing)
        #expect(report.error?.claim == name)
    }

    @Test("wrongly typed claims are claim_invalid naming the claim", arguments: [
        ("iss", JSONValue.string("")), ("iss", .number("7")), ("sub", .number("42")), ("sub", .string(String(repeating: "x", count: 257))),
        ("exp", .string("1800000010")), ("exp", .null), ("exp", .number("1e309")), ("nbf", .string("now")), ("iat", .bool(true)),
    ])
    func claimInvalid(name: String, value: JSONValue) throws {
        var claims = TokenFactory.claims().filter { $0.0 != name }
        claims.append((name, value))
        let report = TokenFactory.verify(try factory.token(claims))
        #expect(report.code == .claimInvalid)
        #expect(report.error?.claim == name)
    }

    @Test("sub of exactly 256 bytes is accepted")
    func subEdge() throws {
        var claims = TokenFactory.claims().filter { $0.0 != "sub" }
        claims.append(("sub", .string(String(repeating: "é", count: 128))))
        #expect(TokenFactory.verify(try factory.token(claims)).code == nil)
    }

    @Test("exp at now is token_expired; leeway lets it pass")
    func expired() throws {
        let token = try factory.token(TokenFactory.claims(exp: now))
        let report = TokenFactory.verify(token)
        #expect(report.code == .tokenExpired && report.error?.claim == "exp")
        #expect(TokenFactory.verify(token, leeway: 5).code == nil)
        #expect(TokenFactory.verify(try factory.token(TokenFactory.claims(exp: now - 5)), leeway: 5).code == .tokenExpired)
    }

    @Test("exp 300 s ahead is accepted, 301 s is exp_too_far even with leeway")
    func ceiling() throws {
        #expect(TokenFactory.verify(try factory.token(TokenFactory.claims(exp: now + 300))).code == nil)
        let far = TokenFactory.verify(try factory.token(TokenFactory.claims(exp: now + 301)), leeway: 60)
        #expect(far.code == .expTooFar && far.error?.claim == "exp")
    }

    @Test("exp in milliseconds is exp_too_far with a hint saying milliseconds")
    func milliseconds() throws {
        let error = try #require(TokenFactory.verify(try factory.token(TokenFactory.claims(exp: (now + 10) * 1000))).error)
        #expect(error.code == .expTooFar)
        #expect(error.hint?.contains("milliseconds") == true)
    }

    @Test("a fractional exp is a NumericDate")
    func fractionalExp() throws {
        var claims = TokenFactory.claims().filter { $0.0 != "exp" }
        claims.append(("exp", .number("1800000005.5")))
        #expect(try TokenFactory.verify(try factory.token(claims)).verified().expiresAt == 1_800_000_005.5)
    }

    @Test("nbf ahead of now is token_not_yet_valid naming nbf; leeway allows skew")
    func notYetValid() throws {
        let token = try factory.token(TokenFactory.claims() + [("nbf", .number(String(Int(now) + 3)))])
        let report = TokenFactory.verify(token)
        #expect(report.code == .tokenNotYetValid && report.error?.claim == "nbf")
        #expect(TokenFactory.verify(token, leeway: 3).code == nil)
    }
}
