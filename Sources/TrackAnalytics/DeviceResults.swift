import Foundation

/// What one batch changed for one device: a store replaces the device's stays and trips starting at or
/// after `since` with these, and upserts the days.
public struct DeviceResults: Sendable, Equatable {
    public let deviceId: Int
    public let since: Date
    public let stays: [Stay]
    public let trips: [Trip]
    public let days: [DailyTotal]
}
