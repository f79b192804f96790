import Foundation

/// Something worth telling other systems about, in the shape of Traccar's `Event` so that `tc_events`
/// readers and Traccar-style consumers of the events topic understand it.
///
/// A store keys events by `(deviceId, type, eventTime, geofenceId)`: the worker may derive one event again
/// after a replay, and the key makes that a no-op.
public struct AnalyticsEvent: Sendable, Equatable {
    /// Traccar's `geofenceEnter` and `geofenceExit`, and itrack's `stayStart` and `stayEnd`.
    public let type: String
    public let deviceId: Int
    /// The fix time of the position that caused it; for stay events, the stay's start or end.
    public let eventTime: Date
    /// 0 when no single position caused it, as in Traccar.
    public let positionId: Int64
    public let geofenceId: Int?
    /// A JSON object.
    public let attributes: String

    public init(type: String, deviceId: Int, eventTime: Date, positionId: Int64 = 0, geofenceId: Int? = nil,
                attributes: String = "{}") {
        self.type = type
        self.deviceId = deviceId
        self.eventTime = eventTime
        self.positionId = positionId
        self.geofenceId = geofenceId
        self.attributes = attributes
    }

    init(_ crossing: GeofenceCrossing) {
        self.init(type: crossing.kind.eventType, deviceId: crossing.deviceId, eventTime: crossing.fixTime,
                  positionId: crossing.positionId, geofenceId: crossing.geofenceId)
    }
}
