import Foundation

/// Any JSON value, decoded with Foundation's `JSONDecoder` and typed the way Traccar's decoders type them.
///
/// Booleans are tried before numbers and integers before doubles, so `true` never becomes 1 and `1` never
/// becomes `true` (checked on Linux by the tests). A number with an integral value (`5`, and also `5.0` or
/// `1e2`, whose spelling the decoder does not keep) is `.integer` when it fits 64 bits. Object key order
/// is not kept by `JSONDecoder`, so callers that copy keys sort them.
enum JSONValue: Decodable, Equatable {
    case null
    case bool(Bool)
    case integer(Int64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    private struct Key: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(from decoder: any Decoder) throws {
        if let container = try? decoder.container(keyedBy: Key.self) {
            var members: [String: JSONValue] = [:]
            for key in container.allKeys {
                members[key.stringValue] = try container.decode(JSONValue.self, forKey: key)
            }
            self = .object(members)
        } else if var container = try? decoder.unkeyedContainer() {
            var elements: [JSONValue] = []
            while !container.isAtEnd {
                elements.append(try container.decode(JSONValue.self))
            }
            self = .array(elements)
        } else {
            self = try Self.scalar(decoder.singleValueContainer())
        }
    }

    private static func scalar(_ container: any SingleValueDecodingContainer) throws -> JSONValue {
        if container.decodeNil() { return .null }
        if let value = try? container.decode(Bool.self) { return .bool(value) }
        if let value = try? container.decode(Int64.self) { return .integer(value) }
        if let value = try? container.decode(Double.self) { return .double(value) }
        if let value = try? container.decode(String.self) { return .string(value) }
        // Everything else JSON can hold is a number too large for a Double, such as 1e400.
        throw DecodingError.dataCorruptedError(in: container, debugDescription: "number is out of range")
    }

    /// The value as a Double when it is a number.
    var number: Double? {
        switch self {
        case .integer(let value): Double(value)
        case .double(let value): value
        default: nil
        }
    }

    /// A short name of the value's kind for error messages (`a string`, `an object`).
    var kind: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .integer, .double: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}
