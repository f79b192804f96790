import Foundation

/// A committed position, reduced to what the analytics read. Committed positions never change, so a
/// `positionId` always comes back with the same fix.
public struct Fix: Sendable, Equatable {
    public var deviceId: Int
    public var positionId: Int64
    public var fixTime: Date
    public var latitude: Double
    public var longitude: Double
    /// Knots, as the device reported it. The analytics derive speeds from consecutive fixes instead:
    /// phones often report 0, and a momentary speed says nothing about the path between two fixes.
    public var speed: Double
    /// Metres; 0 when unknown.
    public var accuracy: Double

    public init(deviceId: Int, positionId: Int64, fixTime: Date, latitude: Double, longitude: Double,
                speed: Double = 0, accuracy: Double = 0) {
        self.deviceId = deviceId
        self.positionId = positionId
        self.fixTime = fixTime
        self.latitude = latitude
        self.longitude = longitude
        self.speed = speed
        self.accuracy = accuracy
    }

    func distance(toLatitude latitude: Double, longitude: Double) -> Double {
        Haversine.distance(fromLatitude: self.latitude, longitude: self.longitude, toLatitude: latitude,
                           longitude: longitude)
    }

    func distance(to other: Fix) -> Double { distance(toLatitude: other.latitude, longitude: other.longitude) }
}

extension Array where Element == Fix {
    /// In fixes sorted by time, the index of the first at or after `time`, or the count when there is none.
    func firstIndex(notBefore time: Date) -> Int {
        var low = 0
        var high = count
        while low < high {
            let middle = (low + high) / 2
            if self[middle].fixTime < time { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
