import Foundation

/// Finds stays in one pass over a device's fixes in time order, with a window of consecutive fixes that
/// all lie within the stay radius of their centroid. The whole state is this value, so `DeviceTrack`
/// keeps a copy after every fix and replays a late fix from the copy before it: the result is exactly
/// that of one pass over all the fixes in order.
struct StayDetector: Sendable {
    /// The window is `fixes[first...last]`.
    private(set) var first: Int
    private var last: Int
    /// Coordinates are summed as offsets from the window's first fix: identical fixes then average to
    /// exactly their own coordinates, and a stay on the antimeridian does not average to longitude 0.
    private var originLatitude: Double
    private var originLongitude: Double
    private var latitudeOffsets = 0.0
    private var longitudeOffsets = 0.0
    /// An upper bound on the distance from the centroid to the window's farthest fix. The centroid
    /// hardly moves as a stay grows, so the bound spares measuring every fix again for each new one.
    private var reach = 0.0

    /// A window holding `fixes[span]`.
    init(_ span: ClosedRange<Int>, of fixes: [Fix]) {
        first = span.lowerBound
        last = span.upperBound
        originLatitude = fixes[first].latitude
        originLongitude = fixes[first].longitude
        for index in span { accumulate(fixes[index]) }
        reach = farthest(in: fixes)
    }

    var centroid: (latitude: Double, longitude: Double) {
        let count = Double(last - first + 1)
        return (originLatitude + latitudeOffsets / count, remainder(originLongitude + longitudeOffsets / count, 360))
    }

    func isStay(in fixes: [Fix], duration: TimeInterval) -> Bool {
        fixes[last].fixTime.timeIntervalSince(fixes[first].fixTime) >= duration
    }

    func stay(in fixes: [Fix], isOpen: Bool) -> Stay {
        let (latitude, longitude) = centroid
        return Stay(deviceId: fixes[first].deviceId, start: fixes[first].fixTime, end: fixes[last].fixTime,
                    latitude: latitude, longitude: longitude, fixCount: last - first + 1, isOpen: isOpen)
    }

    /// Takes in `fixes[index]`, the fix after the window's last, and returns the stay it ends, if any.
    /// A fix beyond the radius ends a stay. Otherwise the window keeps the fix, and its oldest fixes make
    /// way until the rest fit the radius again: the device was only passing through them.
    mutating func add(_ index: Int, of fixes: [Fix], radius: Double, duration: TimeInterval) -> Stay? {
        let fix = fixes[index]
        let before = centroid
        if isStay(in: fixes, duration: duration)
            && fix.distance(toLatitude: before.latitude, longitude: before.longitude) > radius {
            let ended = stay(in: fixes, isOpen: false)
            self = StayDetector(index...index, of: fixes)
            return ended
        }
        accumulate(fix)
        last = index
        let after = centroid
        let drift = Haversine.distance(fromLatitude: before.latitude, longitude: before.longitude,
                                       toLatitude: after.latitude, longitude: after.longitude)
        reach = max(reach + drift, fix.distance(toLatitude: after.latitude, longitude: after.longitude))
        if reach > radius { reach = farthest(in: fixes) }
        while reach > radius { self = StayDetector(first + 1...last, of: fixes) }
        return nil
    }

    /// Renumbers the window after `DeviceTrack` dropped `count` fixes from the front.
    mutating func shift(by count: Int) {
        first -= count
        last -= count
    }

    private mutating func accumulate(_ fix: Fix) {
        latitudeOffsets += fix.latitude - originLatitude
        longitudeOffsets += remainder(fix.longitude - originLongitude, 360)
    }

    private func farthest(in fixes: [Fix]) -> Double {
        let (latitude, longitude) = centroid
        return fixes[first...last].reduce(0) { max($0, $1.distance(toLatitude: latitude, longitude: longitude)) }
    }
}
