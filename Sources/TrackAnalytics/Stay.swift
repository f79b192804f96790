import Foundation

/// A time the device remained within `stayRadius` of one place for at least `stayDuration`. Stores key it
/// by `(deviceId, start)`.
///
/// The definition is about distance, not standing still: the fixes on the way in and out count as long as
/// they lie within the radius of the centroid.
public struct Stay: Sendable, Equatable {
    public let deviceId: Int
    /// The first fix within the radius.
    public let start: Date
    /// The last fix within the radius.
    public let end: Date
    /// The centroid of the stay's fixes, in degrees.
    public let latitude: Double
    public let longitude: Double
    public let fixCount: Int
    /// True while the device has not left: the stay may still grow.
    public let isOpen: Bool

    public var duration: TimeInterval { end.timeIntervalSince(start) }
}
