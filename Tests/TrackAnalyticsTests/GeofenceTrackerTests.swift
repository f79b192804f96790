import Foundation
import Testing
import TrackCore
@testable import TrackAnalytics

@Suite struct GeofenceTrackerTests {
    static let start = Date(timeIntervalSince1970: 1_772_438_400)
    static let centre = (latitude: 48.8566, longitude: 2.3522)
    /// On a meridian the haversine distance is the arc, so metres north convert to degrees by arithmetic.
    static let metresPerDegree = 6_378_137.0 * .pi / 180

    static func circle(_ id: Int, radius: Double, deviceIds: Set<Int>? = nil) -> Geofence {
        Geofence(id: id, name: "circle \(id)",
                 area: .circle(latitude: centre.latitude, longitude: centre.longitude, radius: radius),
                 deviceIds: deviceIds)
    }

    /// A fix `north` metres north of the centre, `second` seconds after the start.
    static func fix(device: Int = 1, id: Int64, second: TimeInterval, north: Double) -> Fix {
        Fix(deviceId: device, positionId: id, fixTime: start + second,
            latitude: centre.latitude + north / metresPerDegree, longitude: centre.longitude)
    }

    static func crossing(_ kind: GeofenceCrossing.Kind, device: Int = 1, geofence: Int, at fix: Fix)
        -> GeofenceCrossing
    {
        GeofenceCrossing(kind: kind, deviceId: device, geofenceId: geofence, positionId: fix.positionId,
                         fixTime: fix.fixTime)
    }

    @Test func walkingThroughACircleEntersOnceAndExitsOnce() {
        let geofences = [Self.circle(5, radius: 100)]
        var tracker = GeofenceTracker()
        let walk = [-300.0, -150, -99, -20, 40, 99.5, 101, 300].enumerated().map { step, north in
            Self.fix(id: Int64(100 + step), second: Double(step) * 10, north: north)
        }
        let crossings = walk.flatMap { tracker.update($0, geofences: geofences) }

        #expect(crossings == [Self.crossing(.enter, geofence: 5, at: walk[2]),
                              Self.crossing(.exit, geofence: 5, at: walk[6])])
        #expect(crossings.map(\.positionId) == [102, 106])
        #expect(crossings.map(\.kind.eventType) == ["geofenceEnter", "geofenceExit"])
    }

    @Test func aFirstFixInsideEntersAtOnce() {
        var tracker = GeofenceTracker()
        let fix = Self.fix(id: 1, second: 0, north: 0)
        #expect(tracker.update(fix, geofences: [Self.circle(5, radius: 100)]) == [
            Self.crossing(.enter, geofence: 5, at: fix)
        ])
    }

    /// Exits come before entries, each sorted by geofence id, whatever order the geofences come in.
    @Test func overlappingGeofencesCrossInOrder() {
        let far = Geofence(id: 2, name: "far", area: .circle(latitude: 48.9, longitude: 2.3522, radius: 1_000))
        let geofences = [Self.circle(9, radius: 300), far, Self.circle(4, radius: 100)]
        var tracker = GeofenceTracker()
        let walk = [
            Self.fix(id: 1, second: 0, north: -500), Self.fix(id: 2, second: 10, north: -200),
            Self.fix(id: 3, second: 20, north: 0), Self.fix(id: 4, second: 30, north: 200),
            Self.fix(id: 5, second: 40, north: 0), Self.fix(id: 6, second: 50, north: 4_800),
        ]
        let crossings = walk.map { tracker.update($0, geofences: geofences) }

        #expect(crossings[0] == [])
        #expect(crossings[1] == [Self.crossing(.enter, geofence: 9, at: walk[1])])
        #expect(crossings[2] == [Self.crossing(.enter, geofence: 4, at: walk[2])])
        #expect(crossings[3] == [Self.crossing(.exit, geofence: 4, at: walk[3])])
        #expect(crossings[4] == [Self.crossing(.enter, geofence: 4, at: walk[4])])
        #expect(crossings[5] == [Self.crossing(.exit, geofence: 4, at: walk[5]),
                                 Self.crossing(.exit, geofence: 9, at: walk[5]),
                                 Self.crossing(.enter, geofence: 2, at: walk[5])])
    }

    @Test func aDeviceRestrictedGeofenceIgnoresOtherDevices() {
        let geofences = [Self.circle(5, radius: 100, deviceIds: [7])]
        var tracker = GeofenceTracker()
        let other = Self.fix(device: 8, id: 1, second: 0, north: 0)
        let owner = Self.fix(device: 7, id: 2, second: 0, north: 0)
        #expect(tracker.update(other, geofences: geofences) == [])
        #expect(tracker.update(owner, geofences: geofences) == [
            Self.crossing(.enter, device: 7, geofence: 5, at: owner)
        ])
    }

    @Test func unassigningAGeofenceExitsIt() {
        var tracker = GeofenceTracker()
        let first = Self.fix(id: 1, second: 0, north: 0)
        let second = Self.fix(id: 2, second: 10, north: 0)
        _ = tracker.update(first, geofences: [Self.circle(5, radius: 100, deviceIds: [1, 2])])
        #expect(tracker.update(second, geofences: [Self.circle(5, radius: 100, deviceIds: [2])]) == [
            Self.crossing(.exit, geofence: 5, at: second)
        ])
    }

    /// The fix at 10 s arrives after the one at 20 s: it is ignored, so the device is still inside at 30 s.
    @Test func aLateFixChangesNothing() {
        let geofences = [Self.circle(5, radius: 100)]
        var tracker = GeofenceTracker()
        let inside = Self.fix(id: 2, second: 20, north: 0)
        let late = Self.fix(id: 1, second: 10, north: 500)
        let exit = Self.fix(id: 4, second: 40, north: 500)
        #expect(tracker.update(inside, geofences: geofences) == [Self.crossing(.enter, geofence: 5, at: inside)])
        #expect(tracker.update(late, geofences: geofences) == [])
        #expect(tracker.update(Self.fix(id: 3, second: 30, north: 10), geofences: geofences) == [])
        #expect(tracker.update(exit, geofences: geofences) == [Self.crossing(.exit, geofence: 5, at: exit)])
    }

    @Test func aSecondFixWithTheSameTimeIsIgnored() {
        let geofences = [Self.circle(5, radius: 100)]
        var tracker = GeofenceTracker()
        #expect(tracker.update(Self.fix(id: 1, second: 0, north: 500), geofences: geofences) == [])
        let inside = Self.fix(id: 2, second: 10, north: 0)
        #expect(tracker.update(inside, geofences: geofences) == [Self.crossing(.enter, geofence: 5, at: inside)])
        #expect(tracker.update(Self.fix(id: 3, second: 10, north: 500), geofences: geofences) == [])
        #expect(tracker.update(Self.fix(id: 4, second: 20, north: 0), geofences: geofences) == [])
    }

    /// A deleted geofence is forgotten silently; if it comes back, being inside it is news again.
    @Test func aRemovedGeofenceIsDroppedWithoutAnExit() {
        var tracker = GeofenceTracker()
        _ = tracker.update(Self.fix(id: 1, second: 0, north: 0), geofences: [Self.circle(5, radius: 100)])
        #expect(tracker.update(Self.fix(id: 2, second: 10, north: 500), geofences: []) == [])
        let back = Self.fix(id: 3, second: 20, north: 0)
        #expect(tracker.update(back, geofences: [Self.circle(5, radius: 100)]) == [
            Self.crossing(.enter, geofence: 5, at: back)
        ])
    }

    @Test func devicesAreTrackedIndependently() {
        let geofences = [Self.circle(5, radius: 100)]
        var tracker = GeofenceTracker()
        let oneIn = Self.fix(device: 1, id: 1, second: 10, north: 0)
        let twoIn = Self.fix(device: 2, id: 2, second: 5, north: 0)
        let oneOut = Self.fix(device: 1, id: 3, second: 20, north: 500)
        #expect(tracker.update(oneIn, geofences: geofences) == [Self.crossing(.enter, geofence: 5, at: oneIn)])
        #expect(tracker.update(twoIn, geofences: geofences) == [
            Self.crossing(.enter, device: 2, geofence: 5, at: twoIn)
        ])
        #expect(tracker.update(oneOut, geofences: geofences) == [Self.crossing(.exit, geofence: 5, at: oneOut)])
        #expect(tracker.update(Self.fix(device: 2, id: 4, second: 15, north: 10), geofences: geofences) == [])
    }

    @Test func aForgottenDeviceStartsAfresh() {
        let geofences = [Self.circle(5, radius: 100)]
        var tracker = GeofenceTracker()
        _ = tracker.update(Self.fix(id: 1, second: 10, north: 0), geofences: geofences)
        tracker.forget(deviceId: 1)
        let again = Self.fix(id: 2, second: 0, north: 0)
        #expect(tracker.update(again, geofences: geofences) == [Self.crossing(.enter, geofence: 5, at: again)])
    }
}
