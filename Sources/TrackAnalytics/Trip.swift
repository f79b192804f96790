import Foundation

/// The movement between two stays: from the last fix of one to the first fix of the next, so that the
/// legs out of and into a stay count. Stores key it by `(deviceId, start)`.
public struct Trip: Sendable, Equatable {
    public let deviceId: Int
    public let start: Date
    public private(set) var end: Date
    public let startLatitude: Double
    public let startLongitude: Double
    public private(set) var endLatitude: Double
    public private(set) var endLongitude: Double
    /// Metres along the fixes: the sum of the distances between consecutive ones.
    public private(set) var distance = 0.0
    /// The fastest speed between consecutive fixes, in metres per second.
    public private(set) var maxSpeed = 0.0
    /// Fixes reached from the one before faster than `maxWalkSpeed`.
    public private(set) var fastFixCount = 0
    public private(set) var fixCount = 1
    /// True until the device reaches its next stay: the trip may still grow.
    public private(set) var isOpen = true

    init(from fix: Fix) {
        deviceId = fix.deviceId
        start = fix.fixTime
        end = fix.fixTime
        startLatitude = fix.latitude
        startLongitude = fix.longitude
        endLatitude = fix.latitude
        endLongitude = fix.longitude
    }

    public var duration: TimeInterval { end.timeIntervalSince(start) }
    /// Metres per second over the whole trip; 0 before it has lasted any time.
    public var meanSpeed: Double { duration > 0 ? distance / duration : 0 }
    /// False as soon as one pair of fixes implies running or riding: such a trip is no walk.
    public var isWalking: Bool { fastFixCount == 0 }

    /// Extends the trip to `fix`, `metres` from its end.
    mutating func extend(to fix: Fix, metres: Double, maxWalkSpeed: Double) {
        let speed = metres / fix.fixTime.timeIntervalSince(end)
        distance += metres
        maxSpeed = max(maxSpeed, speed)
        if speed > maxWalkSpeed { fastFixCount += 1 }
        fixCount += 1
        end = fix.fixTime
        endLatitude = fix.latitude
        endLongitude = fix.longitude
    }

    /// Ends the trip at `fix`, the first fix of the next stay.
    mutating func arrive(at fix: Fix, metres: Double, maxWalkSpeed: Double) {
        extend(to: fix, metres: metres, maxWalkSpeed: maxWalkSpeed)
        isOpen = false
    }
}
