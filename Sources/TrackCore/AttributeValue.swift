/// A typed free-form attribute, as Traccar stores them in a position's `attributes` JSON.
///
/// Integers and doubles are kept apart because Traccar does (JSON `extras` keep 64-bit integers,
/// query parameters always become doubles), and clients read them back with those types.
public enum AttributeValue: Sendable, Equatable {
    case integer(Int64)
    case double(Double)
    case bool(Bool)
    case string(String)
}

extension AttributeValue {
    /// Parses a query/form value the way Traccar's OsmAnd decoder does: a number if it parses as one,
    /// else a lower-case `true`/`false`, else the string itself.
    public init(queryValue: String) {
        if let number = Double(queryValue), number.isFinite {
            self = .double(number)
        } else if queryValue == "true" || queryValue == "false" {
            self = .bool(queryValue == "true")
        } else {
            self = .string(queryValue)
        }
    }

    /// The value as JSON text.
    public var jsonText: String {
        switch self {
        case .integer(let value): return String(value)
        case .double(let value): return JSONText.number(value)
        case .bool(let value): return value ? "true" : "false"
        case .string(let value): return JSONText.quoted(value)
        }
    }
}
