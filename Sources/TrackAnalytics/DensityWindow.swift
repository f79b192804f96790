import Foundation

/// Crowd density per grid cell and minute of fix time, as the visits of devices to cells.
///
/// Each first visit of a device to a cell in a minute is handed out at once, so a store holds every visit
/// as soon as the fix is processed and a crash loses nothing held only here. The window remembers, per
/// device, the visits of the minutes still open, to hand each out once. Time is each device's own: a
/// minute is final for a device once that device has a fix `lateness` past the minute's end, and a later
/// fix of the device for a final minute is late: dropped and counted. Keeping time per device rather than
/// one watermark for all means a worker catching up on a backlog, which reads some devices hours ahead of
/// others, never finds the others' fixes late.
public struct DensityWindow: Sendable {
    private struct Key: Hashable {
        let minute: Date
        let cell: DensityGrid.Cell
    }

    private struct DeviceWindow {
        var newest: Date
        var visits: Set<Key> = []
    }

    public enum Admission: Sendable, Equatable {
        /// The device's first fix in this cell and minute.
        case first(DensityVisit)
        /// The device was already counted in this cell and minute.
        case repeated
        /// The minute is final for this device.
        case late
    }

    public let grid: DensityGrid
    public let lateness: TimeInterval
    /// Fixes dropped for arriving after their minute was final.
    public private(set) var lateFixes = 0
    private var devices: [Int: DeviceWindow] = [:]

    public init(settings: AnalyticsSettings = AnalyticsSettings()) {
        grid = DensityGrid(cellSize: settings.cellSize)
        lateness = settings.lateness
    }

    /// Visits remembered to hand each out once, over all devices.
    public var openVisits: Int { devices.values.reduce(0) { $0 + $1.visits.count } }

    public mutating func add(_ fix: Fix) -> Admission {
        let seconds = fix.fixTime.timeIntervalSince1970
        let minute = Date(timeIntervalSince1970: (seconds / 60).rounded(.down) * 60)
        var window = devices[fix.deviceId] ?? DeviceWindow(newest: fix.fixTime)
        if isFinal(minute, at: window.newest) {
            lateFixes += 1
            return .late
        }
        if fix.fixTime > window.newest {
            window.newest = fix.fixTime
            window.visits = window.visits.filter { !isFinal($0.minute, at: fix.fixTime) }
        }
        let cell = grid.cell(latitude: fix.latitude, longitude: fix.longitude)
        let inserted = window.visits.insert(Key(minute: minute, cell: cell)).inserted
        devices[fix.deviceId] = window
        guard inserted else { return .repeated }
        let centre = grid.centre(of: cell)
        return .first(DensityVisit(minute: minute, cellRow: cell.row, cellColumn: cell.column,
                                   latitude: centre.latitude, longitude: centre.longitude, deviceId: fix.deviceId))
    }

    /// Drops what the window remembers of `deviceId`.
    public mutating func forget(deviceId: Int) {
        devices[deviceId] = nil
    }

    private func isFinal(_ minute: Date, at newest: Date) -> Bool {
        minute.addingTimeInterval(60 + lateness) <= newest
    }
}
