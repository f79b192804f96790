import Foundation
import TrackCore

/// The JSON format of Traccar Client 9.x (the flutter_background_geolocation "Transistor" shape): one
/// object with `device_id` and `location`. An array of such objects (the SDK's `uploadJson` option) is
/// refused, because Traccar cannot decode it either and accepting it would hide a misconfigured client.
extension OsmAndDecoder {
    func decodeJSON(_ body: [UInt8]) throws(Rejection) -> DeviceReport {
        let root = try JSONObject.root(body)
        let uniqueId = try Self.uniqueId(root.required(root.string("device_id"), "device_id"))
        let location = try root.required(root.object("location"), "location")
        let timestamp = try location.required(location.string("timestamp"), "timestamp")
        guard let parsed = TimestampParser.parseISO(timestamp) else {
            throw Rejection("location.timestamp \(Self.quoted(timestamp)) is not ISO 8601 with a zone")
        }
        let time = try Self.plausible(parsed, from: timestamp, "location.timestamp")
        var position =
            if let coords = try location.object("coords") {
                try fix(coords, at: time)
            } else {
                Self.outdatedPosition(at: time)
            }
        position.attributes = try Self.attributes(location)
        return DeviceReport(uniqueId: uniqueId, position: position, unknownDeviceStatus: 404)
    }

    /// `coords` needs all six numbers, as in Traccar. Speed is m/s; a negative speed or heading means
    /// "unknown" and is left 0; an accuracy below `minAccuracy` is left 0.
    func fix(_ coords: JSONObject, at time: Date) throws(Rejection) -> Position {
        let latitude = try Self.latitude(coords.required(coords.number("latitude"), "latitude"))
        let longitude = try Self.longitude(coords.required(coords.number("longitude"), "longitude"))
        let speed = try coords.required(coords.number("speed"), "speed")
        let heading = try coords.required(coords.number("heading"), "heading")
        let accuracy = try coords.required(coords.number("accuracy"), "accuracy")
        let altitude = try coords.required(coords.number("altitude"), "altitude")
        return Position(
            protocolName: Self.protocolName, deviceTime: time, fixTime: time, valid: true,
            latitude: latitude, longitude: longitude, altitude: altitude,
            speed: speed >= 0 ? Speed.knots(fromMetresPerSecond: speed) : 0, course: heading >= 0 ? heading : 0,
            accuracy: accuracy >= minAccuracy ? accuracy : 0)
    }

    /// The `location` members Traccar keeps, in Traccar's order, then `extras` (keys sorted, because
    /// `JSONDecoder` does not keep their order).
    static func attributes(_ location: JSONObject) throws(Rejection) -> Attributes {
        var attributes: Attributes = [:]
        if let event = try location.string("event"), !event.isEmpty { attributes["event"] = .string(event) }
        if let moving = try location.bool("is_moving") { attributes["motion"] = .bool(moving) }
        if let odometer = try location.number("odometer") {
            attributes["odometer"] = .integer(Int64(try javaIntValue(odometer, "location.odometer")))
        }
        if let mock = try location.bool("mock") { attributes["mock"] = .bool(mock) }
        if let activity = try location.object("activity") {
            let type = try activity.required(activity.string("type"), "type")
            if !type.isEmpty { attributes["activity"] = .string(type) }
        }
        if let battery = try location.object("battery") {
            let level = try battery.required(battery.number("level"), "level")
            if level >= 0 { attributes["batteryLevel"] = .integer(Int64(javaIntCast(level * 100))) }
            if try battery.required(battery.bool("is_charging"), "is_charging") { attributes["charge"] = .bool(true) }
        }
        let alarm = try location.string("alarm")
        if let alarm, !alarm.isEmpty { attributes["alarm"] = .string(alarm) }
        if let extras = try location.object("extras") {
            for key in extras.members.keys.sorted() where !(key == "alarm" && alarm != nil) {
                if let value = extras.members[key].flatMap(extraAttribute) { attributes[key] = value }
            }
        }
        return attributes
    }

    /// An `extras` member as an attribute: integral numbers stay integers, strings must be non-empty,
    /// null, objects and arrays are skipped.
    static func extraAttribute(_ value: JSONValue) -> AttributeValue? {
        switch value {
        case .integer(let number): .integer(number)
        case .double(let number): .double(number)
        case .bool(let flag): .bool(flag)
        case .string(let text): text.isEmpty ? nil : .string(text)
        case .null, .array, .object: nil
        }
    }

    /// Java's `(int) double` cast: toward zero, saturating, NaN as 0.
    static func javaIntCast(_ value: Double) -> Int32 {
        if value.isNaN { return 0 }
        if value >= Double(Int32.max) { return .max }
        if value <= Double(Int32.min) { return .min }
        return Int32(value.rounded(.towardZero))
    }

    /// `JsonNumber.intValue()`: the integer part, keeping its low 32 bits as Java does.
    static func javaIntValue(_ value: Double, _ name: String) throws(Rejection) -> Int32 {
        guard value.magnitude < 9.2e18 else { throw Rejection("\(name) \(value) is out of range") }
        return Int32(truncatingIfNeeded: Int64(value.rounded(.towardZero)))
    }

    /// One JSON object being read, with its path for error messages.
    struct JSONObject {
        let members: [String: JSONValue]
        let path: String

        /// The request body as one object; anything else (an array, a number, broken JSON) is refused.
        static func root(_ body: [UInt8]) throws(Rejection) -> JSONObject {
            let value: JSONValue
            do {
                value = try JSONDecoder().decode(JSONValue.self, from: Data(body))
            } catch {
                throw Rejection("body is not valid JSON")
            }
            guard case .object(let members) = value else {
                throw Rejection("JSON body is \(value.kind), not an object")
            }
            return JSONObject(members: members, path: "")
        }

        func string(_ key: String) throws(Rejection) -> String? {
            try member(key, "a string") { if case .string(let text) = $0 { text } else { nil } }
        }

        func bool(_ key: String) throws(Rejection) -> Bool? {
            try member(key, "a boolean") { if case .bool(let flag) = $0 { flag } else { nil } }
        }

        func number(_ key: String) throws(Rejection) -> Double? {
            try member(key, "a number") { $0.number }
        }

        func object(_ key: String) throws(Rejection) -> JSONObject? {
            try member(key, "an object") {
                if case .object(let members) = $0 { JSONObject(members: members, path: name(key) + ".") } else { nil }
            }
        }

        /// `value`, or a rejection naming the missing member.
        func required<Value>(_ value: Value?, _ key: String) throws(Rejection) -> Value {
            guard let value else { throw Rejection("\(name(key)) is missing") }
            return value
        }

        /// The member when present; absent gives nil, present with another type (null included) is refused,
        /// as Traccar's `getString`/`getJsonObject` calls throw on it.
        private func member<Value>(_ key: String, _ expected: String, _ extract: (JSONValue) -> Value?)
            throws(Rejection) -> Value?
        {
            guard let value = members[key] else { return nil }
            guard let extracted = extract(value) else {
                throw Rejection("\(name(key)) is \(value.kind), not \(expected)")
            }
            return extracted
        }

        private func name(_ key: String) -> String { path + key }
    }
}
