import Foundation

/// Turns each device's fixes into geofence crossings by remembering which geofences it was last inside.
///
/// Only a fix newer than every fix already seen for its device counts. Crossings are reported as they
/// happen and cannot be taken back, so a late fix (one buffered by a phone while offline, say) is skipped
/// rather than allowed to reorder them; Traccar likewise checks geofences only for a device's latest
/// position.
public struct GeofenceTracker: Sendable {
    private struct DeviceState: Sendable {
        var newestFixTime: Date
        var insideIds: Set<Int>
    }

    private var devices: [Int: DeviceState] = [:]

    public init() {}

    /// The crossings `fix` shows: exits first, then entries, each sorted by geofence id.
    ///
    /// A device's first fix enters every geofence it lies in, as in Traccar. A geofence that no longer
    /// applies to the device is exited; one missing from `geofences` was deleted, and is forgotten without
    /// an exit, as Traccar does.
    /// - Parameter geofences: every geofence that currently exists.
    public mutating func update(_ fix: Fix, geofences: [Geofence]) -> [GeofenceCrossing] {
        let previous = devices[fix.deviceId]
        if let previous, fix.fixTime <= previous.newestFixTime { return [] }
        let wasInside = (previous?.insideIds ?? []).intersection(geofences.map(\.id))
        let isInside = Set(geofences.lazy.filter { $0.contains(fix) }.map(\.id))
        devices[fix.deviceId] = DeviceState(newestFixTime: fix.fixTime, insideIds: isInside)
        func crossings(_ kind: GeofenceCrossing.Kind, _ ids: Set<Int>) -> [GeofenceCrossing] {
            ids.sorted().map {
                GeofenceCrossing(kind: kind, deviceId: fix.deviceId, geofenceId: $0, positionId: fix.positionId,
                                 fixTime: fix.fixTime)
            }
        }
        return crossings(.exit, wasInside.subtracting(isInside)) + crossings(.enter, isInside.subtracting(wasInside))
    }

    /// Drops what is known about a device, so its next fix counts as its first.
    public mutating func forget(deviceId: Int) {
        devices[deviceId] = nil
    }
}
