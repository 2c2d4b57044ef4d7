import FuzzSupport
import MoveoAuth

// The context decryptor on claims built from the input: three NUL-separated fields become context,
// encryption_key and init_vector (as text, so base64 handling is fuzzed); with a first byte of 0xFE or 0xFF,
// key and IV are real OAEP ciphertexts of fuzzed bytes, so RSA unwrapping, AES and JSON are reached (rarer,
// because each such input costs two RSA private operations).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzContext(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let mode = bytes.first else { return 0 }
    let fields = bytes.dropFirst().split(separator: 0, maxSplits: 2, omittingEmptySubsequences: false).map(Array.init)
    guard fields.count == 3 else { return 0 }
    var claims: [(String, JSONValue)]
    if mode >= 0xFE {
        guard let key = try? FuzzKeys.platform.publicKey.oaepEncrypt(Array(fields[1].prefix(64))),
              let iv = try? FuzzKeys.platform.publicKey.oaepEncrypt(Array(fields[2].prefix(64))) else { return 0 }
        claims = [("context", .string(Base64.encode(fields[0]))), ("encryption_key", .string(Base64.encode(key))), ("init_vector", .string(Base64.encode(iv)))]
    } else {
        claims = zip(["context", "encryption_key", "init_vector"], fields).map { ($0, JSONValue.string(String(decoding: $1, as: UTF8.self))) }
    }
    var warnings: [String] = []
    let decryptor = ContextDecryptor(platformKeys: [FuzzKeys.platform], compat: mode & 1 == 1)
    _ = try? decryptor.decrypt(claimsOf: .object(claims), warnings: &warnings)
    return 0
}

