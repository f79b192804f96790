import Foundation

/// The whole of the pedestrian analytics over a stream of fixes from many devices: stays, trips and
/// daily totals per device, crowd density, and geofence and stay events.
///
/// Kept in memory and derived only from fixes, so a worker that loses it (a restart, or partitions
/// moving to another worker) rebuilds a device by passing that device's recent fixes again: every result
/// is keyed so that writing it twice changes nothing.
public struct AnalyticsEngine: Sendable {
    public let settings: AnalyticsSettings
    private var tracks: [Int: DeviceTrack] = [:]
    private var density: DensityWindow
    private var geofenceTracker = GeofenceTracker()
    /// Per device, the start of the open stay a `stayStart` was emitted for.
    private var announcedStays: [Int: Date] = [:]
    /// The newest fix time of any device.
    private var newest = Date.distantPast

    public init(settings: AnalyticsSettings = AnalyticsSettings()) {
        self.settings = settings
        density = DensityWindow(settings: settings)
    }

    /// Devices this engine has state for; a caller warms up the others before their first fixes.
    public func knows(deviceId: Int) -> Bool { tracks[deviceId] != nil }

    public var deviceCount: Int { tracks.count }

    /// Adds `history` and `fixes`, merged in fix time order, and returns what changed. `history` is fixes
    /// processed before, passed again to rebuild devices this engine does not know: they are not counted as
    /// duplicates, too old or late. Time order makes stay and geofence events come out as they would have
    /// fix by fix, and spares rebuilding a device's results for every out-of-order fix.
    public mutating func process(_ fixes: [Fix], after history: [Fix] = [], geofences: [Geofence])
        -> AnalyticsResults
    {
        var results = AnalyticsResults()
        var since: [Int: Date] = [:]
        let ordered = (history.map { ($0, false) } + fixes.map { ($0, true) }).sorted {
            ($0.0.fixTime, $0.0.positionId) < ($1.0.fixTime, $1.0.positionId)
        }
        for (fix, counted) in ordered {
            newest = max(newest, fix.fixTime)
            switch tracks[fix.deviceId, default: DeviceTrack(deviceId: fix.deviceId, settings: settings)].add(fix) {
            case .changed(let time):
                since[fix.deviceId] = min(since[fix.deviceId] ?? time, time)
            case .duplicate:
                if counted { results.duplicates += 1 }
                continue
            case .tooOld:
                if counted { results.tooOld += 1 }
                continue
            }
            switch density.add(fix) {
            case .first(let visit): results.visits.append(visit)
            case .repeated: break
            case .late: if counted { results.lateForDensity += 1 }
            }
            results.events += geofenceTracker.update(fix, geofences: geofences).map(AnalyticsEvent.init)
            if let event = stayEvent(after: fix) { results.events.append(event) }
        }
        for (deviceId, time) in since.sorted(by: { $0.key < $1.key }) {
            guard let track = tracks[deviceId] else { continue }
            results.devices.append(DeviceResults(
                deviceId: deviceId, since: time, stays: track.stays.filter { $0.start >= time },
                trips: track.trips.filter { $0.start >= time }, days: track.dailyTotals(since: time)))
        }
        forgetDevices(silentSince: newest.addingTimeInterval(-settings.retention))
        return results
    }

    /// `stayStart` when `fix` makes the device's recent fixes a stay, `stayEnd` when it takes the device out of
    /// one; each once per stay, however the open stay's start shifts while it grows. Decided fix by fix, so
    /// replaying a device's fixes in order (a rebuild) gives the same events, which the store then ignores.
    private mutating func stayEvent(after fix: Fix) -> AnalyticsEvent? {
        guard let track = tracks[fix.deviceId] else { return nil }
        if let stay = track.openStay {
            guard announcedStays[fix.deviceId] == nil else { return nil }
            announcedStays[fix.deviceId] = stay.start
            return AnalyticsEvent(type: "stayStart", deviceId: fix.deviceId, eventTime: stay.start,
                                  positionId: fix.positionId, attributes: Self.attributes(of: stay))
        }
        // A late fix may have broken the announced stay up instead: then it never ends, as it never was.
        guard let announced = announcedStays.removeValue(forKey: fix.deviceId), let stay = track.lastClosedStay,
              stay.end >= announced
        else { return nil }
        return AnalyticsEvent(type: "stayEnd", deviceId: fix.deviceId, eventTime: stay.end,
                              positionId: fix.positionId, attributes: Self.attributes(of: stay))
    }

    private static func attributes(of stay: Stay) -> String {
        "{\"latitude\":\(stay.latitude),\"longitude\":\(stay.longitude),\"fixes\":\(stay.fixCount)}"
    }

    /// Drops every device's state, for when the devices this engine is responsible for change.
    public mutating func forgetDevices() {
        forgetDevices(silentSince: .distantFuture)
    }

    /// Bounds memory to the devices heard from within `retention` of the newest fix: one that comes back
    /// later is rebuilt like any device the engine does not know.
    private mutating func forgetDevices(silentSince time: Date) {
        let silent = tracks.filter { ($0.value.newestFixTime ?? .distantPast) < time }.keys
        for deviceId in silent {
            tracks[deviceId] = nil
            announcedStays[deviceId] = nil
            geofenceTracker.forget(deviceId: deviceId)
            density.forget(deviceId: deviceId)
        }
    }
}
