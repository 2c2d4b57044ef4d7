import MoveoAuth

// Public key import (PEM SPKI/PKCS#1, JWK as text) and private PEM import on arbitrary text.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzKeyImport(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    if let key = try? RSAPublicKey(importing: text) {
        _ = key.thumbprint
        _ = key.pkcs1PEM
    }
    _ = try? RSAPrivateKey(pem: text)
    return 0
}

