@_spi(Fuzzing) import MoveoAuth
import FuzzSupport

// The context decryptor on claims built from the input: three NUL-separated fields.
// First byte below 0xFE: the fields are the unwrapped key, the unwrapped IV and the context text, given to the
//   steps after RSA unwrapping (length checks and near misses, base64, AES, size limit, JSON) — no RSA per input,
//   so these run millions of times.
// 0xFE: the fields are the three claims as text (context, encryption_key, init_vector), through the whole
//   decryptor: presence, base64 handling, and RSA unwrapping of whatever decodes.
// 0xFF: key and IV are real OAEP ciphertexts of the fuzzed bytes, so a real unwrap reaches AES and JSON.
// The low bit of the first byte turns compat (near-miss acceptance) on (always on for 0xFF, off for 0xFE).
// The two RSA modes cost milliseconds per input, so they are kept to two first bytes of 256.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzContext(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let mode = bytes.first else { return 0 }
    let fields = bytes.dropFirst().split(separator: 0, maxSplits: 2, omittingEmptySubsequences: false).map(Array.init)
    guard fields.count == 3 else { return 0 }
    var warnings: [String] = []
    let decryptor = ContextDecryptor(platformKeys: [FuzzKeys.platform], compat: mode & 1 == 1)
    if mode < 0xFE {
        _ = try? decryptor.decrypt(context: String(decoding: fields[2], as: UTF8.self), unwrappedKey: fields[0],
                                   unwrappedIV: fields[1], warnings: &warnings)
        return 0
    }
    let claims: [(String, JSONValue)]
    if mode == 0xFF {
        guard let key = try? FuzzKeys.platform.publicKey.oaepEncrypt(Array(fields[1].prefix(64))),
              let iv = try? FuzzKeys.platform.publicKey.oaepEncrypt(Array(fields[2].prefix(64))) else { return 0 }
        claims = [("context", .string(Base64.encode(fields[0]))), ("encryption_key", .string(Base64.encode(key))), ("init_vector", .string(Base64.encode(iv)))]
    } else {
        claims = zip(["context", "encryption_key", "init_vector"], fields).map { ($0, JSONValue.string(String(decoding: $1, as: UTF8.self))) }
    }
    _ = try? decryptor.decrypt(claimsOf: .object(claims), warnings: &warnings)
    return 0
}
