import TrackCore

/// What became of one submitted report; the server maps it to the HTTP answer.
public enum WriteOutcome: Sendable, Equatable {
    /// Committed (or already stored by an earlier try of the same point): answer 200.
    case stored
    /// Dropped by a filter after the device was resolved: answer 200, nothing stored.
    case filtered(FilterReason)
    /// No such device and registration is off or the id is not allowed: 400/404 by format.
    case unknownDevice
    /// The device exists but is disabled.
    case deviceDisabled
    /// The database refused this one report (not the connection): answer 400 with the reason.
    case rejected(String)
    /// The database is unreachable or the commit failed: answer 503 so the phone keeps the point.
    case unavailable(String)
    /// The writer's queue is full: answer 503 at once instead of buffering without limit.
    case overloaded
}

/// Figures about one committed batch, for metrics and logs.
public struct BatchStats: Sendable, Equatable {
    public var reports: Int
    public var inserted: Int
    public var duplicates: Int
    public var filtered: Int
    public var seconds: Double
}
