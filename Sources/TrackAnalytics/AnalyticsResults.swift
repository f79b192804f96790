/// Everything one batch of fixes changed, for one transaction of the store.
public struct AnalyticsResults: Sendable, Equatable {
    /// Ordered by device id.
    public var devices: [DeviceResults] = []
    public var visits: [DensityVisit] = []
    public var events: [AnalyticsEvent] = []
    /// Fixes whose fix time a device already had.
    public var duplicates = 0
    /// Fixes more than `retention` older than their device's newest.
    public var tooOld = 0
    /// Fixes too late for their density minute; still used for stays and trips.
    public var lateForDensity = 0

    public init() {}
}
