import CMoveoOpenSSL

/// Digests and ciphers fetched from OpenSSL's default provider once per process.
///
/// OpenSSL 3 resolves the legacy `EVP_sha256()`/`EVP_aes_256_cbc()` handles by name, under a lock, on every
/// init call; an explicitly fetched handle skips that lookup (the OpenSSL 3 migration guide's advice).
/// The handles are immutable after the fetch and OpenSSL allows sharing them across threads.
enum FetchedAlgorithms {
    /// SHA-256.
    nonisolated(unsafe) static let sha256: OpaquePointer? = EVP_MD_fetch(nil, "SHA256", nil) ?? EVP_sha256()
    /// SHA-1 (OAEP near misses only).
    nonisolated(unsafe) static let sha1: OpaquePointer? = EVP_MD_fetch(nil, "SHA1", nil) ?? EVP_sha1()
    /// AES-128-CBC.
    nonisolated(unsafe) static let aes128CBC: OpaquePointer? = EVP_CIPHER_fetch(nil, "AES-128-CBC", nil) ?? EVP_aes_128_cbc()
    /// AES-256-CBC.
    nonisolated(unsafe) static let aes256CBC: OpaquePointer? = EVP_CIPHER_fetch(nil, "AES-256-CBC", nil) ?? EVP_aes_256_cbc()
}
