import Foundation

/// A `tc_geofences` row, as the API shows it and as a POST or PUT body describes it.
public struct StoredGeofence: Sendable, Equatable {
    public var id: Int
    public var name: String
    public var description: String?
    /// Traccar's area text (`CIRCLE (lat lon, radius)`, …), kept exactly as the client wrote it.
    public var area: String
    /// A JSON object.
    public var attributes: String
    /// nil when the geofence follows no calendar; Traccar shows that as 0.
    public var calendarId: Int?

    public init(id: Int = 0, name: String, description: String? = nil, area: String, attributes: String = "{}",
                calendarId: Int? = nil) {
        self.id = id
        self.name = name
        self.description = description
        self.area = area
        self.attributes = attributes
        self.calendarId = calendarId
    }

    /// Traccar's Geofence JSON, field order as Traccar emits it, nulls present.
    public var traccarJSON: String {
        JSONText.object([
            ("id", String(id)), ("attributes", attributes.isEmpty ? "{}" : attributes),
            ("calendarId", String(calendarId ?? 0)), ("name", JSONText.quoted(name)),
            ("description", description.map(JSONText.quoted) ?? "null"), ("area", JSONText.quoted(area)),
        ])
    }
}

extension StoredGeofence {
    /// Why a geofence body was refused, as one sentence fit for a 400 reply.
    public struct BodyError: Error, Equatable, CustomStringConvertible {
        public let message: String

        public init(_ message: String) { self.message = message }

        public var description: String { message }
    }

    /// The widest text each column holds (`tc_geofences`' varchar sizes), checked here so an oversized field is a
    /// clear 400 rather than a database error.
    static let limits = (name: 128, description: 128, area: 4096, attributes: 4000)

    /// Parses the JSON body of `POST /api/geofences` or `PUT /api/geofences/{id}`.
    ///
    /// `name` and `area` are required and the area must parse as `GeofenceArea`; `id` (0 when absent),
    /// `description`, `attributes` (an object, re-written with sorted keys) and `calendarId` (0 or null: none)
    /// are optional; other members, such as ones a newer Traccar web app sends, are ignored.
    public init(json: [UInt8]) throws(BodyError) {
        let object: [String: Any]
        do {
            let parsed = try JSONSerialization.jsonObject(with: Data(json), options: [.fragmentsAllowed])
            guard let dictionary = parsed as? [String: Any] else {
                throw BodyError("geofence body must be a JSON object, got \(Self.kind(of: parsed))")
            }
            object = dictionary
        } catch let error as BodyError {
            throw error
        } catch {
            throw BodyError("geofence body is not valid JSON")
        }
        let id = try Self.integer(object, "id") ?? 0
        let name = try Self.text(object, "name", limit: Self.limits.name, required: true) ?? ""
        let description = try Self.text(object, "description", limit: Self.limits.description, required: false)
        let area = try Self.text(object, "area", limit: Self.limits.area, required: true) ?? ""
        do {
            _ = try GeofenceArea(wkt: area)
        } catch {
            throw BodyError("area is invalid: \(error.message)")
        }
        let attributes = try Self.attributes(object)
        let calendarId = try Self.integer(object, "calendarId")
        self.init(id: id, name: name, description: description, area: area, attributes: attributes,
                  calendarId: calendarId == 0 ? nil : calendarId)
    }

    /// A string member; nil when absent or null and not `required`.
    private static func text(_ object: [String: Any], _ key: String, limit: Int, required: Bool)
        throws(BodyError) -> String?
    {
        guard let value = object[key], !(value is NSNull) else {
            if required { throw BodyError("\(key) is required") }
            return nil
        }
        guard let text = value as? String else { throw BodyError("\(key) must be a string, got \(kind(of: value))") }
        if required, text.allSatisfy(\.isWhitespace) { throw BodyError("\(key) must not be empty") }
        // PostgreSQL text cannot hold a NUL character.
        if text.unicodeScalars.contains("\u{0}") { throw BodyError("\(key) must not contain a NUL character") }
        let length = text.unicodeScalars.count
        if length > limit { throw BodyError("\(key) has \(length) characters, more than the \(limit) allowed") }
        return text
    }

    /// A whole-number member in the range of the `integer` columns it is stored in; nil when absent or null.
    private static func integer(_ object: [String: Any], _ key: String) throws(BodyError) -> Int? {
        guard let value = object[key], !(value is NSNull) else { return nil }
        guard let number = value as? NSNumber, !isBoolean(number) else {
            throw BodyError("\(key) must be a number, got \(kind(of: value))")
        }
        let type = String(cString: number.objCType)
        let whole: Int? =
            type == "d" || type == "f" ? Int(exactly: number.doubleValue)
            : type == "Q" ? Int(exactly: number.uint64Value) : Int(exactly: number.int64Value)
        guard let whole, (0...Int(Int32.max)).contains(whole) else {
            throw BodyError("\(key) must be a whole number from 0 to \(Int32.max), got \(number)")
        }
        return whole
    }

    /// The `attributes` object as JSON text with sorted keys; `{}` when absent or null.
    private static func attributes(_ object: [String: Any]) throws(BodyError) -> String {
        guard let value = object["attributes"], !(value is NSNull) else { return "{}" }
        guard let attributes = value as? [String: Any] else {
            throw BodyError("attributes must be an object, got \(kind(of: value))")
        }
        guard let data = try? JSONSerialization.data(withJSONObject: attributes,
                                                     options: [.sortedKeys, .withoutEscapingSlashes])
        else { throw BodyError("attributes cannot be written back as JSON") }
        let text = String(decoding: data, as: UTF8.self)
        let length = text.unicodeScalars.count
        if length > limits.attributes {
            throw BodyError("attributes take \(length) characters as JSON, more than the \(limits.attributes) allowed")
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
