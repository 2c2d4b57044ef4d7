import MoveoAuth
import MoveoEmulator
import Testing

/// CONTRACT §5: integrations, keys, rotation, verification.
@Suite("Admin API: integrations and keys")
struct AdminIntegrationsTests {
    static let customerPEM = TestEmulator.text("customer_public.pem")
    static var customerJSON: String { JSONWriter.string(.string(customerPEM)) }

    @Test("create with a key: 201, auth_required defaults to true, a platform keypair is made and no private key is shown")
    func create() async throws {
        try await TestEmulator.run { client in
            let created = try await client.call(.post, "/v1/admin/integrations",
                                                #"{"name":"Acme","integration_id":"acme","public_key":\#(Self.customerJSON)}"#, admin: true)
            #expect(created.status == .created)
            #expect(created.json["auth_required"] == .bool(true) && created.json["session_timeout"] == .number("3600"))
            let platform = try #require(created.json["platform_key"])
            #expect(platform["public_key_pem"]?.stringValue?.hasPrefix("-----BEGIN RSA PUBLIC KEY-----") == true)
            #expect(platform["public_key_spki_pem"]?.stringValue?.hasPrefix("-----BEGIN PUBLIC KEY-----") == true)
            #expect(platform["bits"] == .number("2048"))
            let customer = try RSAPublicKey(importing: Self.customerPEM)
            #expect(created.json["customer_keys"]?.arrayValues.first?["kid"] == .string(customer.thumbprint))
            #expect(created.json["customer_keys"]?.arrayValues.first?["fingerprint_sha256"] == .string(customer.fingerprintSHA256))
            #expect(!created.raw.contains("PRIVATE KEY"))
            let listed = try await client.call(.get, "/v1/admin/integrations", admin: true)
            #expect(listed.json["integrations"]?.arrayValues.count == 2)
            #expect(!listed.raw.contains("PRIVATE KEY"))
            let bare = try await client.call(.post, "/v1/admin/integrations", #"{"name":"Bare","platform_key_bits":3072}"#, admin: true)
            #expect(bare.json["auth_required"] == .bool(false) && bare.json["platform_key"]?["bits"] == .number("3072"))
        }
    }

    @Test("a taken id is 409 integration_exists and leaves the existing one unchanged")
    func exists() async throws {
        try await TestEmulator.run { client in
            let reply = try await client.call(.post, "/v1/admin/integrations", #"{"name":"Other","integration_id":"demo"}"#, admin: true)
            #expect(reply.status == .conflict && reply.code == "integration_exists")
            #expect(try await client.call(.get, "/v1/admin/integrations/demo", admin: true).json["name"] == .string("Demo"))
        }
    }

    @Test("bad bodies and bad keys are refused with their codes and create nothing", arguments: [
        (#"{"integration_id":"x"}"#, "invalid_request"), (#"{"name":"X","integration_id":"a b"}"#, "invalid_request"),
        (#"{"name":"X","session_timeout":"60"}"#, "invalid_request"), (#"{"name":"X","platform_key_bits":1024}"#, "invalid_request"),
        (#"{"name":"X","public_key":"nope"}"#, "key_invalid"), (#"{"name":"X","name":"Y"}"#, "invalid_request"),
    ])
    func badCreate(body: String, code: String) async throws {
        try await TestEmulator.run { client in
            let reply = try await client.call(.post, "/v1/admin/integrations", body, admin: true)
            let list = try await client.call(.get, "/v1/admin/integrations", admin: true)
            #expect(reply.code == code)
            #expect(list.json["integrations"]?.arrayValues.count == 1)
        }
    }

    @Test("a private key is private_key_not_allowed and is not stored")
    func privateKey() async throws {
        try await TestEmulator.run { client in
            let pem = JSONWriter.string(.string(TestEmulator.text("customer_private.pem")))
            let reply = try await client.call(.put, "/v1/admin/integrations/demo/public-key", #"{"public_key":\#(pem)}"#, admin: true)
            #expect(reply.status == .badRequest && reply.code == "private_key_not_allowed")
            #expect(!reply.raw.contains("MII"))
            #expect(try await client.call(.get, "/v1/admin/integrations/demo", admin: true).json["customer_keys"]?.arrayValues.count == 1)
        }
    }

    @Test("PUT public-key replaces; POST customer-keys adds (rotation); DELETE removes by kid; unknown kid is key_not_found")
    func customerKeys() async throws {
        try await TestEmulator.run { client in
            let newKey = try RSAPrivateKey(generatingBits: 2048)
            let jwk = JSONWriter.string(newKey.publicKey.jwk)
            let added = try await client.call(.post, "/v1/admin/integrations/demo/customer-keys", #"{"public_key":\#(jwk)}"#, admin: true)
            #expect(added.status == .created && added.json["customer_keys"]?.arrayValues.count == 2)
            let signed = try TokenSigner(signingKey: newKey).identityToken(issuer: "a", subject: "b", now: TestEmulator.now, ttl: 5)
            #expect(try await client.createSession(signed).status == .created)
            #expect(try await client.createSession(try TestEmulator.token()).status == .created)

            let asString = JSONWriter.string(.string(jwk))
            let replaced = try await client.call(.put, "/v1/admin/integrations/demo/public-key", #"{"public_key":\#(asString)}"#, admin: true)
            #expect(replaced.json["customer_keys"]?.arrayValues.count == 1)
            #expect(try await client.createSession(try TestEmulator.token()).code == "signature_invalid")

            let kid = newKey.publicKey.thumbprint
            #expect(try await client.call(.delete, "/v1/admin/integrations/demo/customer-keys/nope", admin: true).code == "key_not_found")
            #expect(try await client.call(.delete, "/v1/admin/integrations/demo/customer-keys/\(kid)", admin: true).status == .ok)
            #expect(try await client.createSession(signed).code == "no_customer_key")
        }
    }

    @Test("after a rotation the previous platform key still decrypts; after the next it does not")
    func rotation() async throws {
        try await TestEmulator.run { client in
            let oldToken = try TestEmulator.token(context: TestEmulator.sampleContext, ttl: 300)
            let rotated = try await client.call(.post, "/v1/admin/integrations/demo/platform-key/rotate", admin: true)
            #expect(rotated.status == .ok)
            #expect(rotated.json["platform_key"]?["public_key_spki_pem"]?.stringValue != TestEmulator.platformPublicKey.spkiPEM)
            #expect(try await client.createSession(oldToken).status == .created)
            _ = try await client.call(.post, "/v1/admin/integrations/demo/platform-key/rotate", admin: true)
            #expect(try await client.createSession(oldToken).code == "context_key_unwrap_failed")
            let current = try RSAPublicKey(importing: try #require(rotated.json["platform_key"]?["public_key_pem"]?.stringValue))
            let fresh = try TokenSigner(signingKey: TestEmulator.customerKey, platformKey: current)
                .identityToken(issuer: "a", subject: "b", now: TestEmulator.now, ttl: 5, context: TestEmulator.sampleContext)
            #expect(try await client.createSession(fresh).status == .created)
        }
    }

    @Test("PATCH changes fields; DELETE removes the integration and its sessions")
    func patchAndDelete() async throws {
        try await TestEmulator.run { client in
            let id = try await client.createSession(try TestEmulator.token()).json["session_id"]!.stringValue!
            let patched = try await client.call(.patch, "/v1/admin/integrations/demo", #"{"name":"Renamed","session_timeout":10}"#, admin: true)
            #expect(patched.json["name"] == .string("Renamed") && patched.json["session_timeout"] == .number("10"))
            #expect(try await client.call(.patch, "/v1/admin/integrations/demo", #"{"auth_required":"yes"}"#, admin: true).code == "invalid_request")
            #expect(try await client.call(.delete, "/v1/admin/integrations/demo", admin: true).status == .noContent)
            #expect(try await client.call(.get, "/v1/admin/sessions/\(id)", admin: true).code == "session_not_found")
            #expect(try await client.call(.delete, "/v1/admin/integrations/demo", admin: true).code == "integration_not_found")
        }
    }

    @Test("/verify reports every check in order, with the context when valid and the problem when not; it makes no session")
    func verify() async throws {
        try await TestEmulator.run { client in
            let good = try await client.call(.post, "/v1/admin/integrations/demo/verify",
                                             #"{"identity_token":"\#(try TestEmulator.token(context: TestEmulator.sampleContext))"}"#, admin: true)
            #expect(good.json["valid"] == .bool(true))
            #expect(good.json["context"]?["user"]?["is_vip"] == .bool(true))
            #expect(good.json["checks"]?.arrayValues.map { $0["name"]?.stringValue ?? "" } == ["format", "alg", "signature", "claims", "lifetime", "context"])
            #expect(good.json["warnings"] == .array([]))
            let bad = try await client.call(.post, "/v1/admin/integrations/demo/verify", #"{"identity_token":"\#(try TestEmulator.token(ttl: 400))"}"#, admin: true)
            #expect(bad.json["valid"] == .bool(false) && bad.json["error"]?["code"] == .string("exp_too_far"))
            #expect(bad.json["checks"]?.arrayValues.map { $0["ok"] ?? .null } == [.bool(true), .bool(true), .bool(true), .bool(true), .bool(false), .null])
            #expect(try await client.call(.get, "/v1/admin/sessions", admin: true).json["sessions"] == .array([]))
        }
    }

    @Test("under --compat a near miss is accepted, listed in warnings and in the accepted event's detail")
    func compat() async throws {
        var configuration = TestEmulator.configuration()
        configuration.compat = true
        try await TestEmulator.run(configuration) { client in
            var claims = try TokenSigner.encryptContext(Array("{}".utf8), platformKey: TestEmulator.platformPublicKey, variant: .sha1MGF1SHA1)
            claims += [("iss", .string("a")), ("sub", .string("b")), ("exp", .number(String(Int(TestEmulator.now) + 5)))]
            let token = try TestEmulator.signer.sign(claims: claims)
            let verified = try await client.call(.post, "/v1/admin/integrations/demo/verify", #"{"identity_token":"\#(token)"}"#, admin: true)
            #expect(verified.json["valid"] == .bool(true) && verified.json["warnings"]?.arrayValues.count == 2)
            #expect(try await client.createSession(token).status == .created)
            let events = try await client.call(.get, "/v1/admin/events?outcome=accepted", admin: true)
            #expect(events.json["events"]?.arrayValues.first?["detail"]?.stringValue?.contains("SHA-1") == true)
        }
    }
}
