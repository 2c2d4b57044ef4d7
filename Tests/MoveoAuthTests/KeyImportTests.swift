import MoveoAuth
import Testing

@Suite("Public key import and export")
struct KeyImportTests {
    let spki = try! Fixtures.text("external/customer_public.pem")

    @Test("PEM SPKI, PEM PKCS#1 and JWK of one key give one kid and one fingerprint")
    func formatsAgree() throws {
        let fromSPKI = try RSAPublicKey(importing: spki)
        let fromPKCS1 = try RSAPublicKey(importing: try Fixtures.text("keys/customer_public_pkcs1.pem"))
        let fromJWKObject = try RSAPublicKey(importing: fromSPKI.jwk)
        let fromJWKString = try RSAPublicKey(importing: JSONWriter.string(fromSPKI.jwk))
        for key in [fromPKCS1, fromJWKObject, fromJWKString] {
            #expect(key.thumbprint == fromSPKI.thumbprint)
            #expect(key.fingerprintSHA256 == fromSPKI.fingerprintSHA256)
        }
        #expect(fromSPKI.bits == 2048)
        #expect(fromSPKI.spkiPEM.hasPrefix("-----BEGIN PUBLIC KEY-----"))
        #expect(fromSPKI.pkcs1PEM.hasPrefix("-----BEGIN RSA PUBLIC KEY-----"))
        #expect(try RSAPublicKey(importing: fromSPKI.pkcs1PEM).thumbprint == fromSPKI.thumbprint)
        #expect(fromSPKI.fingerprintSHA256.count == 64 && fromSPKI.fingerprintSHA256 == fromSPKI.fingerprintSHA256.lowercased())
    }

    @Test("a PEM pasted with literal \\n sequences still reads")
    func escapedNewlines() throws {
        let escaped = spki.split(separator: "\n").joined(separator: "\\n")
        #expect(try RSAPublicKey(importing: escaped).bits == 2048)
    }

    @Test("RFC 7638 §3.1 example thumbprint")
    func rfc7638Thumbprint() throws {
        let n = "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw"
        let key = try RSAPublicKey(jwk: [("kty", .string("RSA")), ("n", .string(n)), ("e", .string("AQAB")), ("alg", .string("RS256"))])
        #expect(key.thumbprint == "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs")
    }

    @Test("a private key where a public one belongs is private_key_not_allowed", arguments: [
        "external/customer_private.pem", "keys/customer_private_pkcs1.pem",
    ])
    func privatePEMRefused(path: String) throws {
        #expect(throws: AuthError.self) { try RSAPublicKey(importing: try Fixtures.text(path)) }
        do { _ = try RSAPublicKey(importing: try Fixtures.text(path)) } catch let error as AuthError {
            #expect(error.code == .privateKeyNotAllowed)
            #expect(!error.detail.contains("MII"))
        }
    }

    @Test("a JWK with d is private_key_not_allowed")
    func privateJWKRefused() {
        let members: [(String, JSONValue)] = [("kty", .string("RSA")), ("n", .string("AQAB")), ("e", .string("AQAB")), ("d", .string("AQAB"))]
        #expect(code { try RSAPublicKey(jwk: members) } == .privateKeyNotAllowed)
    }

    @Test("a 1024-bit key is key_too_small; an EC key and garbage are key_invalid")
    func refusals() throws {
        #expect(code { try RSAPublicKey(importing: try Fixtures.text("keys/rsa1024_public.pem")) } == .keyTooSmall)
        #expect(code { try RSAPublicKey(importing: try Fixtures.text("keys/ec_public.pem")) } == .keyInvalid)
        #expect(code { try RSAPublicKey(importing: "hello") } == .keyInvalid)
        #expect(code { try RSAPublicKey(importing: "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----") } == .keyInvalid)
        #expect(code { try RSAPublicKey(importing: JSONValue.number("1")) } == .keyInvalid)
    }

    @Test("a JWK whose use, alg or key_ops says it is not an RS256 verification key is key_invalid", arguments: [
        ("use", JSONValue.string("enc")), ("alg", .string("RS512")), ("alg", .string("RSA-OAEP")), ("key_ops", .array([.string("encrypt")])),
        ("kty", .string("EC")),
    ])
    func jwkRules(member: String, value: JSONValue) throws {
        let base = try RSAPublicKey(importing: spki)
        var members = base.jwk.objectMembers!.filter { $0.0 != member }
        members.append((member, value))
        #expect(code { try RSAPublicKey(jwk: members) } == .keyInvalid)
    }

    @Test("a JWK with key_ops [\"verify\"] and use sig is accepted")
    func jwkVerifyOps() throws {
        let base = try RSAPublicKey(importing: spki)
        let members = base.jwk.objectMembers! + [("key_ops", JSONValue.array([.string("verify")]))]
        #expect(try RSAPublicKey(jwk: members).thumbprint == base.thumbprint)
    }

    @Test("private keys: PKCS#8 and PKCS#1 import, PKCS#8 export round-trips, generation at 2048")
    func privateKeys() throws {
        let pkcs1 = try RSAPrivateKey(pem: try Fixtures.text("keys/customer_private_pkcs1.pem"))
        #expect(pkcs1.publicKey.thumbprint == Fixtures.customerPrivate.publicKey.thumbprint)
        let generated = try RSAPrivateKey(generatingBits: 2048)
        #expect(generated.bits == 2048)
        #expect(generated.pkcs8PEM.hasPrefix("-----BEGIN PRIVATE KEY-----"))
        let again = try RSAPrivateKey(pem: generated.pkcs8PEM)
        let signature = try again.signRS256(Array("x".utf8))
        #expect(generated.publicKey.verifyRS256(signature: signature, message: Array("x".utf8)))
    }

    private func code(_ body: () throws -> Any) -> AuthErrorCode? {
        do { _ = try body(); return nil } catch let error as AuthError { return error.code } catch { return nil }
    }
}
