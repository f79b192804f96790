import Foundation

/// Why a position was accepted (answered 200) but not stored; the raw value is the metrics label.
public enum FilterReason: String, Sendable, CaseIterable {
    case invalid
    case zero
    case future
    case duplicate
}

/// Traccar's position filters that matter for phones, with Traccar's keys and defaults.
public struct PositionFilter: Sendable {
    public var enabled: Bool
    public var invalid: Bool
    public var zero: Bool
    /// Seconds a fix may lie ahead of the server clock; 0 turns the check off.
    public var future: Double
    public var duplicate: Bool

    public init(enabled: Bool = true, invalid: Bool = false, zero: Bool = false, future: Double = 86400,
                duplicate: Bool = false) {
        self.enabled = enabled
        self.invalid = invalid
        self.zero = zero
        self.future = future
        self.duplicate = duplicate
    }

    public init(config: Config) {
        self.init(
            enabled: config[ConfigKeys.filterEnable], invalid: config[ConfigKeys.filterInvalid],
            zero: config[ConfigKeys.filterZero], future: config[ConfigKeys.filterFuture],
            duplicate: config[ConfigKeys.filterDuplicate])
    }

    /// The first filter that drops `position`, or nil to store it.
    /// - Parameters:
    ///   - last: the device's latest stored position, for the duplicate check.
    ///   - now: the server's clock, passed in so the check stays pure.
    public func reason(for position: Position, last: Position?, now: Date) -> FilterReason? {
        guard enabled else { return nil }
        if invalid && !position.valid { return .invalid }
        if zero && position.latitude == 0 && position.longitude == 0 { return .zero }
        if future > 0 && position.fixTime.timeIntervalSince(now) > future { return .future }
        if duplicate, let last, last.fixTime == position.fixTime { return .duplicate }
        return nil
    }
}
