import CMoveoOpenSSL

/// AES-CBC with PKCS#7 padding, 128- or 256-bit keys chosen by the key's length.
public enum AESCBC {
    /// Why a decryption failed.
    public enum Failure: Error, Sendable, Equatable {
        /// The key is neither 16 nor 32 bytes.
        case keyLength(Int)
        /// The IV is not 16 bytes.
        case ivLength(Int)
        /// The ciphertext is empty or not whole 16-byte blocks.
        case notWholeBlocks(Int)
        /// The final block's PKCS#7 padding is wrong (or key/IV do not match).
        case badPadding
    }

    private static func cipher(forKeyLength length: Int) -> OpaquePointer? {
        switch length {
        case 16: FetchedAlgorithms.aes128CBC
        case 32: FetchedAlgorithms.aes256CBC
        default: nil
        }
    }

    /// Decrypts and strips the PKCS#7 padding.
    public static func decrypt(_ ciphertext: [UInt8], key: [UInt8], iv: [UInt8]) throws(Failure) -> [UInt8] {
        guard let cipher = cipher(forKeyLength: key.count) else { throw .keyLength(key.count) }
        guard iv.count == 16 else { throw .ivLength(iv.count) }
        guard !ciphertext.isEmpty, ciphertext.count % 16 == 0 else { throw .notWholeBlocks(ciphertext.count) }
        guard let context = EVP_CIPHER_CTX_new() else { throw .badPadding }
        defer { EVP_CIPHER_CTX_free(context) }
        var output = [UInt8](repeating: 0, count: ciphertext.count + 16)
        var written: Int32 = 0
        var final: Int32 = 0
        let ok = output.withUnsafeMutableBufferPointer { out -> Bool in
            guard EVP_DecryptInit_ex(context, cipher, nil, key, iv) == 1,
                  EVP_DecryptUpdate(context, out.baseAddress, &written, ciphertext, Int32(ciphertext.count)) == 1
            else { return false }
            return EVP_DecryptFinal_ex(context, out.baseAddress! + Int(written), &final) == 1
        }
        guard ok else {
            _ = CryptoError.drainQueue()
            throw .badPadding
        }
        return Array(output.prefix(Int(written + final)))
    }

    /// Encrypts with PKCS#7 padding (the customer side of the documented recipe, for the CLI and tests).
    public static func encrypt(_ plaintext: [UInt8], key: [UInt8], iv: [UInt8]) throws(Failure) -> [UInt8] {
        guard let cipher = cipher(forKeyLength: key.count) else { throw .keyLength(key.count) }
        guard iv.count == 16 else { throw .ivLength(iv.count) }
        guard let context = EVP_CIPHER_CTX_new() else { throw .badPadding }
        defer { EVP_CIPHER_CTX_free(context) }
        var output = [UInt8](repeating: 0, count: plaintext.count + 16)
        var written: Int32 = 0
        var final: Int32 = 0
        let ok = output.withUnsafeMutableBufferPointer { out -> Bool in
            guard EVP_EncryptInit_ex(context, cipher, nil, key, iv) == 1,
                  EVP_EncryptUpdate(context, out.baseAddress, &written, plaintext, Int32(plaintext.count)) == 1
            else { return false }
            return EVP_EncryptFinal_ex(context, out.baseAddress! + Int(written), &final) == 1
        }
        guard ok else { throw .badPadding }
        return Array(output.prefix(Int(written + final)))
    }
}
