import Foundation

/// A committed `tc_events` row.
public struct StoredEvent: Sendable, Equatable {
    public var id: Int64
    public var type: String
    public var eventTime: Date
    public var deviceId: Int
    /// 0 when no single position caused the event.
    public var positionId: Int64
    /// 0 when the event concerns no geofence, as Traccar serialises it.
    public var geofenceId: Int
    /// A JSON object.
    public var attributes: String

    public init(id: Int64, type: String, eventTime: Date, deviceId: Int, positionId: Int64, geofenceId: Int,
                attributes: String) {
        self.id = id
        self.type = type
        self.eventTime = eventTime
        self.deviceId = deviceId
        self.positionId = positionId
        self.geofenceId = geofenceId
        self.attributes = attributes
    }

    /// Traccar's Event JSON, field order as Traccar emits it.
    public var traccarJSON: String {
        JSONText.object([
            ("id", String(id)), ("attributes", attributes.isEmpty ? "{}" : attributes), ("deviceId", String(deviceId)),
            ("type", JSONText.quoted(type)), ("eventTime", JSONText.quoted(TraccarTime.text(eventTime))),
            ("positionId", String(positionId)), ("geofenceId", String(geofenceId)), ("maintenanceId", "0"),
        ])
    }

    /// The message on the events topic, as Traccar's event forwarder shapes it: `{"event":…}`.
    public var forwardedJSON: String { JSONText.object([("event", traccarJSON)]) }
}
