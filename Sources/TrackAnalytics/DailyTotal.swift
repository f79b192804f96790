import Foundation

/// What a device did on one UTC day. Stores key it by `(deviceId, day)`.
///
/// Both sums run over the device's moving segments: pairs of consecutive fixes that are not both in the
/// same stay, which includes the legs out of and into a stay. A segment spanning midnight is split in
/// proportion to time. A gap between fixes counts as whatever the two fixes imply: far apart means
/// moving at the mean speed between them, close together ends up inside a stay.
public struct DailyTotal: Sendable, Equatable {
    public let deviceId: Int
    /// Midnight UTC starting the day.
    public let day: Date
    /// Metres of moving segments no faster than `maxWalkSpeed`: running or riding is no walk.
    public let walkingDistance: Double
    /// Seconds of moving segments at any speed.
    public let activeTime: TimeInterval
}
