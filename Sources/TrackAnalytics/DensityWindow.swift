import Foundation

/// Crowd density per grid cell and minute of fix time, over fixes from every device.
///
/// The caller advances a watermark, typically the newest fix time it has seen. A minute is final once the
/// watermark reaches its end plus `lateness`; a fix for a final minute is late: dropped and counted, since
/// the minute has already been handed out. That is a fix older than the watermark minus `lateness`
/// rounded down to its minute: a fix for a minute still open is always counted. Devices are counted as a
/// set, so duplicated and reordered fixes give the same counts.
public struct DensityWindow: Sendable {
    private struct Key: Hashable {
        let minute: Date
        let cell: DensityGrid.Cell
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

    /// Counts `fix`; false when it is late.
    public mutating func add(_ fix: Fix) -> Bool {
        let seconds = fix.fixTime.timeIntervalSince1970
        let minute = Date(timeIntervalSince1970: (seconds / 60).rounded(.down) * 60)
        if let watermark, isFinal(minute, at: watermark) {
            lateFixes += 1
            return false
        }
        devices[Key(minute: minute, cell: grid.cell(latitude: fix.latitude, longitude: fix.longitude)),
                default: []].insert(fix.deviceId)
        return true
    }

    /// Moves the watermark forward (never back) and hands out the cells whose minute became final, ordered
    /// by minute, row and column.
    public mutating func advance(to time: Date) -> [DensityCell] {
        let watermark = max(self.watermark ?? time, time)
        self.watermark = watermark
        let final = devices.keys.filter { isFinal($0.minute, at: watermark) }
        let handedOut = cells(final)
        for key in final { devices[key] = nil }
        return handedOut
    }

    /// The counts so far of the minutes not yet final, ordered as `advance(to:)` orders them.
    public var pending: [DensityCell] { cells(Array(devices.keys)) }

    private func isFinal(_ minute: Date, at watermark: Date) -> Bool {
        minute.addingTimeInterval(60 + lateness) <= watermark
    }

    private func cells(_ keys: [Key]) -> [DensityCell] {
        keys.map { key in
            let centre = grid.centre(of: key.cell)
            return DensityCell(minute: key.minute, cellRow: key.cell.row, cellColumn: key.cell.column,
                               latitude: centre.latitude, longitude: centre.longitude,
                               devices: devices[key]?.count ?? 0)
        }.sorted { ($0.minute, $0.cellRow, $0.cellColumn) < ($1.minute, $1.cellRow, $1.cellColumn) }
    }
}
