import Foundation
import Hummingbird
import VigilCore

/// Reading JSON requests and writing JSON responses, with every failure a ``VigilError`` that
/// names the field at fault.
enum JSONBody {
    /// Collects the body (bounded), checks the content type and decodes `T`. Returns the raw bytes
    /// too, for idempotency fingerprints.
    static func decode<T: RequestBody>(_ type: T.Type, from request: Request, context: VigilRequestContext) async throws -> (T, [UInt8]) {
        guard let contentType = request.headers[.contentType],
              contentType.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased() == "application/json"
        else { throw VigilError.unsupportedMediaType(expected: "application/json") }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: context.maxUploadSize)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            throw VigilError.payloadTooLarge(limitBytes: context.maxUploadSize)
        }
        let bytes = Array(buffer.readableBytesView)
        let value: T
        do {
            value = try JSONDecoder().decode(T.self, from: Data(bytes))
        } catch let error as DecodingError {
            // Foundation reports a number that fits no Int (0.5, 1e308, 2^63) as invalid JSON with
            // no field; find the field, so the caller is told which one.
            if case .dataCorrupted(let context) = error, context.codingPath.isEmpty,
               let tree = try? JSONSerialization.jsonObject(with: Data(bytes)), let field = Self.firstNonInteger(in: tree, path: "", schemaPath: "", fractional: T.fractionalFields) {
                throw VigilError.invalidField(field: field, detail: "must be a whole number within the field's range")
            }
            throw Self.describe(error)
        }
        let keys = JSONKeyScan(bytes)
        if let duplicate = keys.duplicate {
            throw VigilError.invalidField(field: duplicate, detail: "appears more than once in the same object")
        }
        if let unknown = keys.firstUnknown(in: T.fields) {
            throw VigilError.invalidField(field: unknown, detail: "is not a field of this request (accepted: \(T.fields.sorted().joined(separator: ", ")))")
        }
        return (value, bytes)
    }

    /// The path of the first number that is not a whole number in Int64's range. Every number
    /// Vigil accepts in a body is an integer, so that is the one the decoder choked on.
    /// A field that takes fractions (`fractional`, by schema path) is at fault only if its number is not finite.
    private static func firstNonInteger(in value: Any, path: String, schemaPath: String, fractional: Set<String>, depth: Int = 0) -> String? {
        guard depth < 64 else { return nil }
        if let object = value as? [String: Any] {
            for key in object.keys.sorted() {
                if let found = firstNonInteger(in: object[key] as Any, path: path.isEmpty ? key : "\(path).\(key)",
                                               schemaPath: schemaPath.isEmpty ? key : "\(schemaPath).\(key)", fractional: fractional, depth: depth + 1) { return found }
            }
        } else if let array = value as? [Any] {
            for (index, item) in array.enumerated() {
                if let found = firstNonInteger(in: item, path: "\(path)[\(index)]", schemaPath: "\(schemaPath)[]", fractional: fractional, depth: depth + 1) {
                    return found
                }
            }
        } else if let number = value as? NSNumber, !(value is Bool) {
            let double = number.doubleValue
            if fractional.contains(schemaPath) { return double.isFinite ? nil : (path.isEmpty ? "body" : path) }
            if !double.isFinite || double.rounded() != double || double >= 9.223372036854775807e18 || double < -9.223372036854775808e18 {
                return path.isEmpty ? "body" : path
            }
        }
        return nil
    }

    static func describe(_ error: DecodingError) -> VigilError {
        switch error {
        case .keyNotFound(let key, let context):
            return .invalidField(field: path(context.codingPath + [key]), detail: "is required")
        case .typeMismatch(let type, let context):
            return .invalidField(field: path(context.codingPath), detail: "must be \(jsonType(type))")
        case .valueNotFound(let type, let context):
            return .invalidField(field: path(context.codingPath), detail: "must be \(jsonType(type)), not null")
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty {
                return .malformedBody(detail: "the body is not valid JSON")
            }
            return .invalidField(field: path(context.codingPath), detail: "has an invalid value")
        @unknown default:
            return .malformedBody(detail: "the body could not be read")
        }
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        guard !keys.isEmpty else { return "body" }
        var out = ""
        for key in keys {
            if let index = key.intValue { out += "[\(index)]" } else { out += out.isEmpty ? key.stringValue : ".\(key.stringValue)" }
        }
        return out
    }

    private static func jsonType(_ type: Any.Type) -> String {
        switch type {
        case is String.Type, is String?.Type: "a string"
        case is Int.Type, is Int?.Type, is Int64.Type: "an integer"
        case is Double.Type, is Double?.Type: "a number"
        case is Bool.Type, is Bool?.Type: "a boolean"
        default: "an object"
        }
    }

    /// Encodes a response body: snake_case keys, sorted so equal values give equal bytes.
    static func response<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        let data = try encoder.encode(value)
        return Response(status: status, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}
