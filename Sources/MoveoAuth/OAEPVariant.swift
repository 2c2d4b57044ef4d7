import CMoveoOpenSSL

/// An RSA-OAEP parameter set (RFC 8017 §7.1): the label hash and the MGF1 hash; the label is always empty.
public enum OAEPVariant: String, Sendable, CaseIterable {
    /// SHA-256 with MGF1-SHA-256: the documented scheme (node-rsa `environment: 'browser'`).
    case sha256MGF1SHA256 = "OAEP SHA-256/MGF1-SHA-256"
    /// SHA-1 with MGF1-SHA-1: node-rsa in its default `node` environment, Python's and Node's defaults.
    case sha1MGF1SHA1 = "OAEP SHA-1/MGF1-SHA-1"
    /// SHA-256 with MGF1-SHA-1: Java's `RSA/ECB/OAEPWithSHA-256AndMGF1Padding`.
    case sha256MGF1SHA1 = "OAEP SHA-256/MGF1-SHA-1"

    /// The near misses the verifier diagnoses, in the order it tries them.
    public static let nearMisses: [OAEPVariant] = [.sha1MGF1SHA1, .sha256MGF1SHA1]

    /// The label hash.
    var labelDigest: OpaquePointer? {
        self == .sha1MGF1SHA1 ? FetchedAlgorithms.sha1 : FetchedAlgorithms.sha256
    }

    /// The MGF1 hash.
    var mgf1Digest: OpaquePointer? {
        self == .sha256MGF1SHA256 ? FetchedAlgorithms.sha256 : FetchedAlgorithms.sha1
    }

    /// Sets padding, label hash and MGF1 hash on an initialised `EVP_PKEY_CTX`.
    func configure(_ context: OpaquePointer) -> Bool {
        EVP_PKEY_CTX_set_rsa_padding(context, CMoveoOpenSSL_RSA_PKCS1_OAEP_PADDING()) > 0
            && EVP_PKEY_CTX_set_rsa_oaep_md(context, labelDigest) > 0
            && EVP_PKEY_CTX_set_rsa_mgf1_md(context, mgf1Digest) > 0
    }
}
