import Foundation
import Testing

/// A JSON value's type as a client sees it: whole numbers apart from fractional ones, since Traccar (Jackson)
/// writes `0` for its integer fields and `0.0` for its doubles.
enum JSONKind: Equatable, Sendable {
    case int, double, bool, string, null, object, array

    init(of value: Any) {
        switch value {
        case is NSNull: self = .null
        case is String: self = .string
        case let number as NSNumber:
            // JSONSerialization gives `true`/`false` the type code of a C char, and fractions that of a double.
            switch String(cString: number.objCType) {
            case "c", "B": self = .bool
            case "d", "f": self = .double
            default: self = .int
            }
        case is [Any]: self = .array
        default: self = .object
        }
    }
}

/// Traccar's API objects: every field Traccar emits with its JSON type, as for a new object with nothing optional
/// set (nulls present), per the reference's §3.4.
enum TraccarShape {
    typealias Shape = [(name: String, kind: JSONKind)]

    static let server: Shape = [
        ("id", .int), ("attributes", .object), ("registration", .bool), ("readonly", .bool), ("deviceReadonly", .bool),
        ("map", .null), ("bingKey", .null), ("mapUrl", .null), ("overlayUrl", .null), ("latitude", .double),
        ("longitude", .double), ("zoom", .int), ("forceSettings", .bool), ("coordinateFormat", .null),
        ("limitCommands", .bool), ("disableReports", .bool), ("fixedEmail", .bool), ("poiLayer", .null),
        ("announcement", .null), ("emailEnabled", .bool), ("geocoderEnabled", .bool), ("textEnabled", .bool),
        ("storageSpace", .null), ("newServer", .bool), ("openIdEnabled", .bool), ("openIdForce", .bool),
        ("version", .string),
    ]

    static let user: Shape = [
        ("id", .int), ("attributes", .object), ("name", .string), ("login", .null), ("email", .string),
        ("phone", .null), ("readonly", .bool), ("administrator", .bool), ("map", .null), ("latitude", .double),
        ("longitude", .double), ("zoom", .int), ("coordinateFormat", .null), ("disabled", .bool),
        ("expirationTime", .null), ("deviceLimit", .int), ("userLimit", .int), ("deviceReadonly", .bool),
        ("limitCommands", .bool), ("disableReports", .bool), ("fixedEmail", .bool), ("poiLayer", .null),
        ("totpKey", .null), ("temporary", .bool), ("password", .null),
    ]

    static let device: Shape = [
        ("id", .int), ("attributes", .object), ("groupId", .int), ("calendarId", .int), ("name", .string),
        ("uniqueId", .string), ("status", .string), ("lastUpdate", .null), ("positionId", .int), ("phone", .null),
        ("model", .null), ("contact", .null), ("category", .null), ("disabled", .bool), ("expirationTime", .null),
    ]

    static let position: Shape = [
        ("id", .int), ("attributes", .object), ("deviceId", .int), ("protocol", .string), ("serverTime", .string),
        ("deviceTime", .string), ("fixTime", .string), ("valid", .bool), ("latitude", .double), ("longitude", .double),
        ("altitude", .double), ("speed", .double), ("course", .double), ("address", .null), ("accuracy", .double),
        ("network", .null), ("geofenceIds", .null),
    ]

    static let geofence: Shape = [
        ("id", .int), ("attributes", .object), ("calendarId", .int), ("name", .string), ("description", .null),
        ("area", .string),
    ]

    static let event: Shape = [
        ("id", .int), ("attributes", .object), ("deviceId", .int), ("type", .string), ("eventTime", .string),
        ("positionId", .int), ("geofenceId", .int), ("maintenanceId", .int),
    ]

    static let statistics: Shape = [
        ("id", .int), ("attributes", .object), ("captureTime", .string), ("activeUsers", .int),
        ("activeDevices", .int), ("requests", .int), ("messagesReceived", .int), ("messagesStored", .int),
        ("mailSent", .int), ("smsSent", .int), ("geocoderRequests", .int), ("geolocationRequests", .int),
    ]

    /// Expects `object` to carry exactly `shape`'s fields, each of its kind; `except` gives the kinds of fields
    /// this object has set (a device's `lastUpdate` once it reported).
    static func expect(_ object: [String: Any], is shape: Shape, except: [String: JSONKind] = [:],
                       sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(object.keys.sorted() == shape.map(\.name).sorted(), "field names", sourceLocation: sourceLocation)
        for (name, kind) in shape {
            let found = object[name].map { JSONKind(of: $0) }
            #expect(found == except[name] ?? kind, "type of \(name)", sourceLocation: sourceLocation)
        }
    }
}
