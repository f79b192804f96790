import Foundation

/// A committed `tc_positions` row with its device, as read back for forwarding and the API.
///
/// `attributes` and `network` stay the JSON text they were stored as: they are passed through, never re-parsed.
public struct StoredPosition: Sendable, Equatable {
    public var id: Int64
    public var deviceId: Int
    public var protocolName: String
    public var serverTime: Date
    public var deviceTime: Date
    public var fixTime: Date
    public var valid: Bool
    public var latitude: Double
    public var longitude: Double
    public var altitude: Double
    public var speed: Double
    public var course: Double
    public var address: String?
    public var accuracy: Double
    public var attributes: String
    public var network: String?
    public var device: StoredDevice

    public init(id: Int64, deviceId: Int, protocolName: String, serverTime: Date, deviceTime: Date, fixTime: Date,
                valid: Bool, latitude: Double, longitude: Double, altitude: Double, speed: Double, course: Double,
                address: String?, accuracy: Double, attributes: String, network: String?, device: StoredDevice) {
        self.id = id
        self.deviceId = deviceId
        self.protocolName = protocolName
        self.serverTime = serverTime
        self.deviceTime = deviceTime
        self.fixTime = fixTime
        self.valid = valid
        self.latitude = latitude
        self.longitude = longitude
        self.altitude = altitude
        self.speed = speed
        self.course = course
        self.address = address
        self.accuracy = accuracy
        self.attributes = attributes
        self.network = network
        self.device = device
    }

    /// Traccar's Position JSON (field order as Traccar emits it), with the real committed id.
    public var traccarJSON: String {
        JSONText.object([
            ("id", String(id)), ("attributes", attributes.isEmpty ? "{}" : attributes), ("deviceId", String(deviceId)),
            ("protocol", JSONText.quoted(protocolName)), ("serverTime", JSONText.quoted(TraccarTime.text(serverTime))),
            ("deviceTime", JSONText.quoted(TraccarTime.text(deviceTime))),
            ("fixTime", JSONText.quoted(TraccarTime.text(fixTime))), ("valid", valid ? "true" : "false"),
            ("latitude", JSONText.number(latitude)), ("longitude", JSONText.number(longitude)),
            ("altitude", JSONText.number(altitude)), ("speed", JSONText.number(speed)),
            ("course", JSONText.number(course)), ("address", address.map(JSONText.quoted) ?? "null"),
            ("accuracy", JSONText.number(accuracy)), ("network", network ?? "null"), ("geofenceIds", "null"),
        ])
    }

    /// The message Traccar's Kafka forwarder sends: `{"position":…,"device":…}`.
    public var forwardedJSON: String { forwardedJSON(deviceJSON: device.traccarJSON) }

    /// The same with the device's JSON made once for all of its rows in a round.
    public func forwardedJSON(deviceJSON: String) -> String {
        JSONText.object([("position", traccarJSON), ("device", deviceJSON)])
    }
}
