/// The stable codes of CONTRACT §2 that token verification and key import can produce.
public enum AuthErrorCode: String, Sendable, CaseIterable, Codable {
    /// No token was supplied where one is required.
    case tokenMissing = "token_missing"
    /// The token is longer than the 262,144-character limit.
    case tokenTooLarge = "token_too_large"
    /// Not a compact JWS of three base64url parts with JSON-object header and payload.
    case tokenMalformed = "token_malformed"
    /// The header `alg` is anything but exactly `RS256`.
    case algNotAllowed = "alg_not_allowed"
    /// The header carries `crit`.
    case headerUnsupported = "header_unsupported"
    /// The integration has no customer public key.
    case noCustomerKey = "no_customer_key"
    /// RS256 verification failed under every key of the integration.
    case signatureInvalid = "signature_invalid"
    /// `iss`, `sub` or `exp` is absent.
    case claimMissing = "claim_missing"
    /// A registered claim has the wrong type or size.
    case claimInvalid = "claim_invalid"
    /// `exp` is not later than now − leeway.
    case tokenExpired = "token_expired"
    /// `exp` is beyond now + the maximum lifetime.
    case expTooFar = "exp_too_far"
    /// `nbf` is later than now + leeway.
    case tokenNotYetValid = "token_not_yet_valid"
    /// Some but not all of the three context claims, or one is not a string.
    case contextIncomplete = "context_incomplete"
    /// `encryption_key` or `init_vector` does not decrypt under the platform private key.
    case contextKeyUnwrapFailed = "context_key_unwrap_failed"
    /// The unwrapped AES key is neither 16 nor 32 bytes.
    case contextKeyInvalid = "context_key_invalid"
    /// The unwrapped IV is not 16 bytes.
    case contextIVInvalid = "context_iv_invalid"
    /// `context` is not base64, not whole AES blocks, or its padding is wrong.
    case contextDecryptFailed = "context_decrypt_failed"
    /// The plaintext is not a UTF-8 JSON object.
    case contextNotJSON = "context_not_json"
    /// The plaintext is over 65,536 bytes.
    case contextTooLarge = "context_too_large"
    /// A key is not a readable RSA public key.
    case keyInvalid = "key_invalid"
    /// A private key was given where a public key belongs.
    case privateKeyNotAllowed = "private_key_not_allowed"
    /// The RSA modulus is under 2048 bits.
    case keyTooSmall = "key_too_small"
}
