import Foundation
import OrderedCollections

/// One reported location, in Traccar's units: degrees, metres, knots, UTC times.
public struct Position: Sendable, Equatable {
    /// The protocol that decoded it (`osmand`), stored in `tc_positions.protocol`.
    public var protocolName: String
    public var deviceTime: Date
    public var fixTime: Date
    public var valid: Bool
    public var latitude: Double
    public var longitude: Double
    /// Metres above sea level.
    public var altitude: Double
    /// Knots, as everywhere in Traccar.
    public var speed: Double
    /// Degrees clockwise from north.
    public var course: Double
    /// Horizontal accuracy in metres; 0 when unknown.
    public var accuracy: Double
    public var attributes: Attributes
    public var network: Network?
    /// True when the report carried no coordinates: the server fills them from the device's last fix.
    public var outdated: Bool

    public init(
        protocolName: String, deviceTime: Date, fixTime: Date, valid: Bool = true,
        latitude: Double = 0, longitude: Double = 0, altitude: Double = 0, speed: Double = 0,
        course: Double = 0, accuracy: Double = 0, attributes: Attributes = [:], network: Network? = nil,
        outdated: Bool = false
    ) {
        self.protocolName = protocolName
        self.deviceTime = deviceTime
        self.fixTime = fixTime
        self.valid = valid
        self.latitude = latitude
        self.longitude = longitude
        self.altitude = altitude
        self.speed = speed
        self.course = course
        self.accuracy = accuracy
        self.attributes = attributes
        self.network = network
        self.outdated = outdated
    }

    /// Copies the location of `last` (or Traccar's 1980-01-06 placeholder when there is none) into
    /// a report that carried no coordinates, as Traccar's OutdatedHandler does.
    public func fillingOutdated(from last: Position?) -> Position {
        guard outdated else { return self }
        var filled = self
        if let last {
            filled.fixTime = last.fixTime
            filled.valid = last.valid
            filled.latitude = last.latitude
            filled.longitude = last.longitude
            filled.altitude = last.altitude
            filled.speed = last.speed
            filled.course = last.course
            filled.accuracy = last.accuracy
        } else {
            filled.fixTime = Position.gpsEpoch
            filled.valid = false
        }
        return filled
    }

    /// 1980-01-06T00:00:00Z, the fix time Traccar gives a device's first report without coordinates.
    public static let gpsEpoch = Date(timeIntervalSince1970: 315_964_800)
}

/// Speed unit conversions; Traccar stores knots.
public enum Speed {
    public static func knots(fromMetresPerSecond value: Double) -> Double { value * 1.943_84 }
    public static func knots(fromKilometresPerHour value: Double) -> Double { value * 0.539_957 }
    public static func knots(fromMilesPerHour value: Double) -> Double { value * 0.868_976 }
}
