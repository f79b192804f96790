import TrackCore

/// A named area whose crossings the server reports as `geofenceEnter` and `geofenceExit` events.
public struct Geofence: Sendable, Equatable {
    public let id: Int
    public let name: String
    public let area: GeofenceArea
    /// nil = applies to every device; else only these device ids.
    public let deviceIds: Set<Int>?

    public init(id: Int, name: String, area: GeofenceArea, deviceIds: Set<Int>? = nil) {
        self.id = id
        self.name = name
        self.area = area
        self.deviceIds = deviceIds
    }

    /// Whether `fix` lies inside for its device; a geofence restricted to other devices contains nothing.
    func contains(_ fix: Fix) -> Bool {
        (deviceIds?.contains(fix.deviceId) ?? true) && area.contains(latitude: fix.latitude, longitude: fix.longitude)
    }
}
