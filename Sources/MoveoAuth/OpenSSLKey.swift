import CMoveoOpenSSL

/// Owns one OpenSSL `EVP_PKEY` and frees it when the last reference goes.
///
/// `@unchecked Sendable`: the key is never mutated after creation, and OpenSSL 3 allows concurrent
/// read-only use of an `EVP_PKEY` from many threads (each operation makes its own `EVP_PKEY_CTX`).
final class OpenSSLKey: @unchecked Sendable {
    /// The owned `EVP_PKEY *`.
    let pointer: OpaquePointer

    /// Takes ownership of `pointer`.
    init(taking pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit {
        EVP_PKEY_free(pointer)
    }

    /// The modulus size in bits.
    var bits: Int { Int(EVP_PKEY_get_bits(pointer)) }

    /// The modulus size in bytes (the length of every signature and OAEP ciphertext).
    var modulusBytes: Int { Int(EVP_PKEY_get_size(pointer)) }

    /// Whether the key is an RSA key (not RSA-PSS, EC, …).
    var isRSA: Bool { EVP_PKEY_is_a(pointer, "RSA") == 1 }

    /// A big-number parameter of the key (`n`, `e`) as unsigned big-endian bytes.
    func bigNumber(_ name: String) -> [UInt8]? {
        var number: OpaquePointer?
        guard EVP_PKEY_get_bn_param(pointer, name, &number) == 1, let number else {
            _ = CryptoError.drainQueue()
            return nil
        }
        defer { BN_free(number) }
        let length = (Int(BN_num_bits(number)) + 7) / 8
        var output = [UInt8](repeating: 0, count: max(length, 1))
        guard BN_bn2bin(number, &output) >= 0 else { return nil }
        return Array(output.prefix(max(length, 1)))
    }

    /// Runs `body` with a fresh memory BIO and returns what was written into it.
    static func withMemoryBIO(_ body: (OpaquePointer) -> Bool) -> [UInt8]? {
        guard let bio = BIO_new(BIO_s_mem()) else { return nil }
        defer { BIO_free(bio) }
        guard body(bio) else {
            _ = CryptoError.drainQueue()
            return nil
        }
        var data: UnsafeMutablePointer<CChar>?
        let length = CMoveoOpenSSL_BIO_get_mem_data(bio, &data)
        guard length > 0, let data else { return [] }
        return data.withMemoryRebound(to: UInt8.self, capacity: length) { Array(UnsafeBufferPointer(start: $0, count: length)) }
    }
}
