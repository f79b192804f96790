import Foundation

/// Crowd density per grid cell and minute of fix time, as the visits of devices to cells.
///
/// Each first visit of a device to a cell in a minute is handed out at once, so a store holds every
/// visit as soon as the fix is processed and a crash loses nothing held only here. The window only
/// remembers the visits of open minutes, to hand each out once. The caller advances a watermark,
/// typically the newest fix time it has seen; a minute is final once the watermark reaches its end plus
/// `lateness`, and a fix for a final minute is late: dropped and counted. That is a fix older than the
/// watermark minus `lateness` rounded down to its minute: a fix for a minute still open is always counted.
public struct DensityWindow: Sendable {
    private struct Key: Hashable {
        let minute: Date
        let cell: DensityGrid.Cell
    }

    public enum Admission: Sendable, Equatable {
        /// The device's first fix in this cell and minute.
        case first(DensityVisit)
        /// The device was already counted in this cell and minute.
        case repeated
        /// The minute is final.
        case late
    }

    public let grid: DensityGrid
    public let lateness: TimeInterval
    /// The latest time passed to `advance(to:)`; nil before the first call.
    public private(set) var watermark: Date?
    /// Fixes dropped for arriving after their minute was final.
    public private(set) var lateFixes = 0
    private var devices: [Key: Set<Int>] = [:]

    public init(settings: AnalyticsSettings = AnalyticsSettings()) {
        grid = DensityGrid(cellSize: settings.cellSize)
        lateness = settings.lateness
    }

    /// Open minutes the window remembers visits for.
    public var openMinutes: Int { Set(devices.keys.map(\.minute)).count }

    public mutating func add(_ fix: Fix) -> Admission {
        let seconds = fix.fixTime.timeIntervalSince1970
        let minute = Date(timeIntervalSince1970: (seconds / 60).rounded(.down) * 60)
        if let watermark, isFinal(minute, at: watermark) {
            lateFixes += 1
            return .late
        }
        let cell = grid.cell(latitude: fix.latitude, longitude: fix.longitude)
        guard devices[Key(minute: minute, cell: cell), default: []].insert(fix.deviceId).inserted else {
            return .repeated
        }
        let centre = grid.centre(of: cell)
        return .first(DensityVisit(minute: minute, cellRow: cell.row, cellColumn: cell.column,
                                   latitude: centre.latitude, longitude: centre.longitude, deviceId: fix.deviceId))
    }

    /// Moves the watermark forward (never back) and forgets the minutes that became final.
    public mutating func advance(to time: Date) {
        let watermark = max(self.watermark ?? time, time)
        self.watermark = watermark
        devices = devices.filter { !isFinal($0.key.minute, at: watermark) }
    }

    private func isFinal(_ minute: Date, at watermark: Date) -> Bool {
        minute.addingTimeInterval(60 + lateness) <= watermark
    }
}
