import FuzzSupport
import MoveoAuth

// Even first byte: the whole pipeline on arbitrary text (format, alg, signature checks on garbage).
// Odd first byte: the rest of the input is a payload that passed the signature check: the steps after it
// (payload object, claims, lifetime, context) run on it directly — no RSA signing per input, so the
// post-signature code gets millions of executions (the context claims are checked without the platform key,
// but for 0xFD). The 0xFF prefix signs for real, end to end.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzToken(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let mode = bytes.first else { return 0 }
    let rest = Array(bytes.dropFirst())
    if mode == 0xFF {
        if let token = try? FuzzKeys.signer.signRaw(header: Array(#"{"alg":"RS256"}"#.utf8), payload: rest) {
            _ = FuzzKeys.verifier.verify(token)
        }
    } else if mode & 1 == 0 {
        _ = FuzzKeys.verifier.verify(String(decoding: rest, as: UTF8.self))
    } else {
        guard let payload = try? JSONParser.parse(rest), payload.objectMembers != nil,
              let identity = try? ClaimRules.identity(of: payload) else { return 0 }
        let policy = FuzzKeys.verifier.policy
        guard (try? ClaimRules.checkLifetime(of: payload, expiresAt: identity.expiresAt, policy: policy)) != nil else { return 0 }
        // The context claims' presence and types without the platform key (no RSA per input; FuzzContext covers the unwrap),
        // except under 0xFD, which unwraps for real.
        var warnings: [String] = []
        let platformKeys = mode == 0xFD ? FuzzKeys.verifier.keyring.platformKeys : []
        _ = try? ContextDecryptor(platformKeys: platformKeys, compat: policy.compat).decrypt(claimsOf: payload, warnings: &warnings)
    }
    return 0
}
