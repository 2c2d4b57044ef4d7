import FuzzSupport
import MoveoAuth

// The whole pipeline on arbitrary text (mostly refused at format), and, from the second byte on, on a
// payload that is signed for real, so claims, lifetime and context are reached with fuzzed JSON.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzToken(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let mode = bytes.first else { return 0 }
    let rest = Array(bytes.dropFirst())
    if mode & 1 == 0 {
        _ = FuzzKeys.verifier.verify(String(decoding: rest, as: UTF8.self))
    } else if let token = try? FuzzKeys.signer.signRaw(header: Array(#"{"alg":"RS256"}"#.utf8), payload: rest) {
        _ = FuzzKeys.verifier.verify(token)
    }
    return 0
}

