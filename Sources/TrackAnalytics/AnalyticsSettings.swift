import Foundation

/// Every threshold of the analytics, passed in so that the same fixes and settings always give the same
/// results.
public struct AnalyticsSettings: Sendable, Equatable {
    /// Metres from a stay's centroid that still count as being there: a phone's fix wanders tens of
    /// metres indoors and between tall buildings.
    public var stayRadius: Double
    /// Seconds within `stayRadius` before the device counts as staying rather than walking slowly.
    public var stayDuration: TimeInterval
    /// Metres per second above which a segment is not walking: brisk walking stays under 2 m/s, while
    /// running, cycling or riding exceed 3.
    public var maxWalkSpeed: Double
    /// Metres across a density cell.
    public var cellSize: Double
    /// Seconds a fix may arrive after the density watermark passed its minute and still be counted.
    public var lateness: TimeInterval
    /// Seconds before a device's newest fix that a fix may still arrive and be merged into its stays,
    /// trips and daily totals; it also bounds how many fixes a `DeviceTrack` keeps.
    public var retention: TimeInterval

    public init(stayRadius: Double = 100, stayDuration: TimeInterval = 300, maxWalkSpeed: Double = 3,
                cellSize: Double = 150, lateness: TimeInterval = 120, retention: TimeInterval = 86_400) {
        self.stayRadius = stayRadius
        self.stayDuration = stayDuration
        self.maxWalkSpeed = maxWalkSpeed
        self.cellSize = cellSize
        self.lateness = lateness
        self.retention = retention
    }
}
