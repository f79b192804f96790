import Foundation

/// A JSON object request body (`POST`/`PUT` of API resources), read member by member with errors that name the
/// member and the JSON type that arrived, fit for a one-line 400.
public struct JSONBody {
    public struct Failure: Error, Equatable, CustomStringConvertible {
        public let message: String

        public init(_ message: String) { self.message = message }

        public var description: String { message }
    }

    private let object: [String: Any]

    /// Parses `bytes`, which must be one JSON object; `what` names it in errors ("geofence body").
    public init(_ bytes: [UInt8], what: String) throws(Failure) {
        do {
            let parsed = try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
            guard let dictionary = parsed as? [String: Any] else {
                throw Failure("\(what) must be a JSON object, got \(Self.kind(of: parsed))")
            }
            object = dictionary
        } catch let error as Failure {
            throw error
        } catch {
            throw Failure("\(what) is not valid JSON")
        }
    }

    /// A string member; nil when absent or null and not `required`.
    public func text(_ key: String, limit: Int, required: Bool) throws(Failure) -> String? {
        guard let value = object[key], !(value is NSNull) else {
            if required { throw Failure("\(key) is required") }
            return nil
        }
        guard let text = value as? String else { throw Failure("\(key) must be a string, got \(Self.kind(of: value))") }
        if required, text.allSatisfy(\.isWhitespace) { throw Failure("\(key) must not be empty") }
        // PostgreSQL text cannot hold a NUL character.
        if text.unicodeScalars.contains("\u{0}") { throw Failure("\(key) must not contain a NUL character") }
        let length = text.unicodeScalars.count
        if length > limit { throw Failure("\(key) has \(length) characters, more than the \(limit) allowed") }
        return text
    }

    /// Member names, in no particular order.
    public var keys: [String] { Array(object.keys) }

    /// Whether the member is present, even as null: where null means "clear" and absence means "keep".
    public func has(_ key: String) -> Bool { object[key] != nil }

    /// A whole-number member within `range` (by default that of the `integer` columns ids are stored in); nil
    /// when absent or null.
    public func integer(_ key: String, in range: ClosedRange<Int> = 0...Int(Int32.max)) throws(Failure) -> Int? {
        guard let value = object[key], !(value is NSNull) else { return nil }
        guard let number = value as? NSNumber, !Self.isBoolean(number) else {
            throw Failure("\(key) must be a number, got \(Self.kind(of: value))")
        }
        let type = String(cString: number.objCType)
        let whole: Int? =
            type == "d" || type == "f" ? Int(exactly: number.doubleValue)
            : type == "Q" ? Int(exactly: number.uint64Value) : Int(exactly: number.int64Value)
        guard let whole, range.contains(whole) else {
            throw Failure(
                "\(key) must be a whole number from \(range.lowerBound) to \(range.upperBound), got \(number)")
        }
        return whole
    }

    /// A boolean member; nil when absent or null.
    public func bool(_ key: String) throws(Failure) -> Bool? {
        guard let value = object[key], !(value is NSNull) else { return nil }
        guard let number = value as? NSNumber, Self.isBoolean(number) else {
            throw Failure("\(key) must be true or false, got \(Self.kind(of: value))")
        }
        return number.boolValue
    }

    /// The `attributes` object as JSON text with sorted keys; `{}` when absent or null.
    public func attributes(limit: Int) throws(Failure) -> String {
        guard let value = object["attributes"], !(value is NSNull) else { return "{}" }
        guard let attributes = value as? [String: Any] else {
            throw Failure("attributes must be an object, got \(Self.kind(of: value))")
        }
        guard let data = try? JSONSerialization.data(withJSONObject: attributes,
                                                     options: [.sortedKeys, .withoutEscapingSlashes])
        else { throw Failure("attributes cannot be written back as JSON") }
        let text = String(decoding: data, as: UTF8.self)
        let length = text.unicodeScalars.count
        if length > limit {
            throw Failure("attributes take \(length) characters as JSON, more than the \(limit) allowed")
        }
        return text
    }

    /// JSON's `true` and `false` arrive as NSNumbers too; only their type code tells them from 1 and 0.
    private static func isBoolean(_ number: NSNumber) -> Bool { String(cString: number.objCType) == "c" }

    /// The JSON type of a parsed value, for error messages.
    private static func kind(of value: Any) -> String {
        switch value {
        case is NSNull: "null"
        case is String: "a string"
        case let number as NSNumber: isBoolean(number) ? "a boolean" : "a number"
        case is [Any]: "an array"
        case is [String: Any]: "an object"
        default: "an unexpected value"
        }
    }
}
