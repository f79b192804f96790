import Foundation

/// The shape of a geofence, read from and written as Traccar's `area` text so geofences move between
/// Traccar and itrack unchanged.
///
/// Traccar's text looks like WKT but puts the latitude first: `CIRCLE (lat lon, radius)`,
/// `POLYGON ((lat lon, lat lon, ...))`, `LINESTRING (lat lon, lat lon, ...)`. Containment follows Traccar's
/// geometry, quirks included, so a device enters and leaves a geofence at the same fix in both servers.
public enum GeofenceArea: Sendable, Equatable {
    /// Radius in metres.
    case circle(latitude: Double, longitude: Double, radius: Double)
    /// The corners in order; a closing corner equal to the first may be present or not.
    case polygon([Point])
    /// A route, containing every point within `distance` metres of one of its segments.
    case polyline([Point], distance: Double)

    /// A corner or vertex, in degrees.
    public struct Point: Sendable, Equatable {
        public var latitude: Double
        public var longitude: Double

        public init(latitude: Double, longitude: Double) {
            self.latitude = latitude
            self.longitude = longitude
        }
    }

    /// Parses Traccar's area text; shape names are case-insensitive and spaces around punctuation optional.
    /// - Parameter polylineDistance: metres a `LINESTRING` reaches either side, Traccar's
    ///   `geofence.polylineDistance`; the text itself does not carry it.
    public init(wkt: String, polylineDistance: Double = 25) throws(GeofenceAreaError) {
        var parser = AreaParser(wkt)
        self = try parser.parseArea(polylineDistance: polylineDistance)
    }

    /// The area as Traccar writes it; parsing it with the same polyline distance gives back an equal area.
    public var wkt: String {
        switch self {
        case let .circle(latitude, longitude, radius): "CIRCLE (\(latitude) \(longitude), \(radius))"
        case let .polygon(corners): "POLYGON ((\(Self.text(corners))))"
        case let .polyline(points, _): "LINESTRING (\(Self.text(points)))"
        }
    }

    public func contains(latitude: Double, longitude: Double) -> Bool {
        let point = Point(latitude: latitude, longitude: longitude)
        switch self {
        case let .circle(centreLatitude, centreLongitude, radius):
            return point.distance(to: Point(latitude: centreLatitude, longitude: centreLongitude)) <= radius
        case let .polygon(corners):
            return Self.polygon(corners, contains: point)
        case let .polyline(points, distance):
            return zip(points, points.dropFirst()).contains { point.distance(toSegmentFrom: $0, to: $1) <= distance }
        }
    }

    private static func text(_ points: [Point]) -> String {
        points.map { "\($0.latitude) \($0.longitude)" }.joined(separator: ", ")
    }

    /// The even-odd rule with a ray due south, taking degrees as plane coordinates as Traccar does.
    ///
    /// Traccar treats a polygon with corners both east of 90° E and west of 90° W as straddling the
    /// antimeridian and shifts the western longitudes by 360°; without that such a polygon would wrap the
    /// other way round the globe.
    private static func polygon(_ corners: [Point], contains point: Point) -> Bool {
        let straddles = corners.contains { $0.longitude > 90 } && corners.contains { $0.longitude < -90 }
        func x(_ longitude: Double) -> Double { straddles && longitude < -90 ? longitude + 360 : longitude }
        let pointX = x(point.longitude)
        var inside = false
        var previous = corners[corners.count - 1]
        for corner in corners {
            let (x1, x2) = (x(corner.longitude), x(previous.longitude))
            if (x1 < pointX) != (x2 < pointX) {
                let edgeLatitude = corner.latitude + (pointX - x1) * (previous.latitude - corner.latitude) / (x2 - x1)
                if edgeLatitude < point.latitude { inside.toggle() }
            }
            previous = corner
        }
        return inside
    }
}

extension GeofenceArea.Point {
    /// Traccar's DistanceCalculator uses the equatorial radius rather than the mean one; matching it keeps
    /// circle edges where Traccar draws them (the two differ by 0.1 %, 11 m on a 10 km circle).
    static let earthRadius = 6_378_137.0

    /// Haversine metres.
    func distance(to other: Self) -> Double {
        let halfΔφ = (other.latitude - latitude) * .pi / 360
        let halfΔλ = (other.longitude - longitude) * .pi / 360
        let a = sin(halfΔφ) * sin(halfΔφ)
            + cos(latitude * .pi / 180) * cos(other.latitude * .pi / 180) * sin(halfΔλ) * sin(halfΔλ)
        // Rounding can push `a` a hair above 1 for antipodal points, where asin would return NaN.
        return 2 * Self.earthRadius * asin(min(1, a.squareRoot()))
    }

    /// Metres to the nearest point of a segment, by Traccar's method: the height of the triangle of
    /// haversine sides, or the distance to the nearer end when the foot of the height lies beyond it.
    func distance(toSegmentFrom start: Self, to end: Self) -> Double {
        let (toStart, length, toEnd) = (distance(to: start), start.distance(to: end), distance(to: end))
        if toStart * toStart >= length * length + toEnd * toEnd { return toEnd }
        if toEnd * toEnd >= length * length + toStart * toStart { return toStart }
        let s = (toStart + length + toEnd) / 2
        // Heron's formula; for a point on the segment rounding can make the product slightly negative.
        let area = max(0, s * (s - toStart) * (s - length) * (s - toEnd)).squareRoot()
        return 2 * area / length
    }
}

/// Reads area text left to right; each method consumes what it names or throws, saying where and why.
private struct AreaParser {
    private let scalars: [Unicode.Scalar]
    private var index = 0

    init(_ text: String) { scalars = Array(text.unicodeScalars) }

    mutating func parseArea(polylineDistance: Double) throws(GeofenceAreaError) -> GeofenceArea {
        let shape = word()
        let area: GeofenceArea
        switch shape.uppercased() {
        case "CIRCLE":
            try expect("(")
            let centre = try point()
            try expect(",")
            let radius = try number("radius")
            guard radius > 0, radius.isFinite else {
                throw GeofenceAreaError("radius \(radius) is not a positive number of metres")
            }
            try expect(")")
            area = .circle(latitude: centre.latitude, longitude: centre.longitude, radius: radius)
        case "POLYGON":
            try expect("(")
            try expect("(")
            let corners = try points()
            try expect(")")
            try expect(")")
            let count = corners.count > 1 && corners.last == corners.first ? corners.count - 1 : corners.count
            guard count >= 3 else {
                throw GeofenceAreaError("POLYGON needs at least 3 corners besides a closing one, got \(count)")
            }
            area = .polygon(corners)
        case "LINESTRING":
            try expect("(")
            let vertices = try points()
            try expect(")")
            guard vertices.count >= 2 else {
                throw GeofenceAreaError("LINESTRING needs at least 2 points, got \(vertices.count)")
            }
            area = .polyline(vertices, distance: polylineDistance)
        case "":
            throw GeofenceAreaError(
                scalars.allSatisfy(\.properties.isWhitespace)
                    ? "geofence area is empty" : "geofence area must start with CIRCLE, POLYGON or LINESTRING")
        default:
            throw GeofenceAreaError("unknown geofence shape '\(shape)'; expected CIRCLE, POLYGON or LINESTRING")
        }
        skipSpaces()
        guard index == scalars.count else {
            throw GeofenceAreaError("unexpected \(upcoming) after the end of the \(shape.uppercased())")
        }
        return area
    }

    private mutating func points() throws(GeofenceAreaError) -> [GeofenceArea.Point] {
        var points = [try point()]
        while consume(",") { points.append(try point()) }
        return points
    }

    private mutating func point() throws(GeofenceAreaError) -> GeofenceArea.Point {
        let latitude = try number("latitude")
        guard (-90...90).contains(latitude) else {
            throw GeofenceAreaError("latitude \(latitude) is outside [-90, 90]")
        }
        let longitude = try number("longitude")
        guard (-180...180).contains(longitude) else {
            throw GeofenceAreaError("longitude \(longitude) is outside [-180, 180]")
        }
        return GeofenceArea.Point(latitude: latitude, longitude: longitude)
    }

    /// A decimal number such as `-12.5` or `1e-05`; hexadecimal, `nan` and `inf`, which `Double.init`
    /// would take, are refused.
    private mutating func number(_ name: String) throws(GeofenceAreaError) -> Double {
        skipSpaces()
        let start = index
        while index < scalars.count, !isDelimiter(scalars[index]) { index += 1 }
        let token = text(scalars[start..<index])
        guard !token.isEmpty else {
            throw GeofenceAreaError("expected the \(name) at offset \(start), found \(upcoming)")
        }
        guard token.unicodeScalars.allSatisfy({ "0123456789+-.eE".unicodeScalars.contains($0) }),
            let value = Double(token)
        else { throw GeofenceAreaError("\(name) '\(token)' is not a number") }
        return value
    }

    private mutating func word() -> String {
        skipSpaces()
        let start = index
        while index < scalars.count, scalars[index].properties.isAlphabetic { index += 1 }
        return text(scalars[start..<index])
    }

    private mutating func expect(_ punctuation: Unicode.Scalar) throws(GeofenceAreaError) {
        guard consume(punctuation) else {
            throw GeofenceAreaError("expected '\(punctuation)' at offset \(index), found \(upcoming)")
        }
    }

    private mutating func consume(_ punctuation: Unicode.Scalar) -> Bool {
        skipSpaces()
        guard index < scalars.count, scalars[index] == punctuation else { return false }
        index += 1
        return true
    }

    private mutating func skipSpaces() {
        while index < scalars.count, scalars[index].properties.isWhitespace { index += 1 }
    }

    private func isDelimiter(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isWhitespace || scalar == "," || scalar == "(" || scalar == ")"
    }

    /// What the parser is looking at, for error messages; cut short so a long area cannot flood a log line.
    private var upcoming: String {
        index < scalars.count ? "'\(text(scalars[index...].prefix(20)))'" : "the end of the text"
    }

    private func text(_ slice: ArraySlice<Unicode.Scalar>) -> String { String(String.UnicodeScalarView(slice)) }
}
