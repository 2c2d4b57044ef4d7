import Hummingbird
import NIOCore
import MoveoAuth

/// A request body read within the 1 MiB limit; zero bytes count as no body (CONTRACT §8).
public struct RequestBody: Sendable {
    /// The largest body accepted, in bytes (exactly this many is fine).
    public static let maxBytes = 1 << 20

    /// The raw bytes.
    public let bytes: [UInt8]

    /// Reads the whole body, refusing with `payload_too_large` past the limit.
    public static func read(_ request: Request) async throws -> RequestBody {
        do {
            var buffer = try await request.body.collect(upTo: maxBytes)
            return RequestBody(bytes: buffer.readBytes(length: buffer.readableBytes) ?? [])
        } catch is NIOTooManyBytesError {
            throw Problem.payloadTooLarge
        }
    }

    /// The body as a JSON object's fields; nil for an absent body; `invalid_request` for anything else.
    public func fields() throws -> BodyFields? {
        if bytes.isEmpty { return nil }
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes)
        } catch {
            throw Problem.invalidRequest("the body \(error)", hint: "send a JSON object with Content-Type: application/json")
        }
        guard case .object = value else { throw Problem.invalidRequest("the body is a JSON \(value.typeName), not an object") }
        return BodyFields(value: value)
    }

    /// The body's fields, refusing an absent body with `invalid_request`.
    public func requiredFields() throws -> BodyFields {
        guard let fields = try fields() else { throw Problem.invalidRequest("a JSON body is required") }
        return fields
    }
}

/// Typed access to a JSON object's members; a wrong type is `invalid_request` naming the field.
public struct BodyFields: Sendable {
    /// The object.
    public let value: JSONValue

    /// A string member; nil when absent (or null with `nullIsAbsent`).
    public func string(_ name: String, nullIsAbsent: Bool = true) throws -> String? {
        guard let member = value[name] else { return nil }
        if case .null = member, nullIsAbsent { return nil }
        guard let text = member.stringValue else { throw Problem.invalidRequest("\(name) must be a string, not \(member.typeName)") }
        return text
    }

    /// A boolean member; nil when absent.
    public func bool(_ name: String) throws -> Bool? {
        guard let member = value[name] else { return nil }
        guard case .bool(let flag) = member else { throw Problem.invalidRequest("\(name) must be true or false, not \(member.typeName)") }
        return flag
    }

    /// An integer member in `range`; nil when absent.
    public func int(_ name: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let member = value[name] else { return nil }
        guard let number = member.doubleValue, number == number.rounded(), let int = Int(exactly: number), range.contains(int) else {
            throw Problem.invalidRequest("\(name) must be an integer from \(range.lowerBound) to \(range.upperBound)")
        }
        return int
    }

    /// A number member; nil when absent.
    public func double(_ name: String) throws -> Double? {
        guard let member = value[name] else { return nil }
        guard let number = member.doubleValue else { throw Problem.invalidRequest("\(name) must be a number") }
        return number
    }

    /// A member of any type, as sent.
    public subscript(name: String) -> JSONValue? { value[name] }
}
