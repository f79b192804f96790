import Foundation
import Testing
import TrackAnalytics

@Suite struct TripTests {
    @Test func aTwoKilometreWalkIsOneOpenTrip() throws {
        var walk = Walk()
        walk.walk(speed: 1.4, for: 1430)
        let track = DeviceTrack.fed(walk.fixes)

        #expect(track.stays.isEmpty)
        try #require(track.trips.count == 1)
        let trip = track.trips[0]
        #expect(trip.deviceId == 1)
        #expect(trip.start == Walk.morning && trip.end == Walk.morning + 1430)
        #expect(trip.startLatitude == 48.8566 && trip.startLongitude == 2.3522)
        #expect(trip.endLatitude == walk.latitude(north: 2002) && trip.endLongitude == 2.3522)
        #expect(abs(trip.distance - 2002) < 1e-6)
        #expect(abs(trip.distance - 2000) / 2000 < 0.01)
        #expect(trip.duration == 1430)
        #expect(abs(trip.meanSpeed - 1.4) < 1e-9)
        #expect(abs(trip.maxSpeed - 1.4) < 1e-9)
        #expect(trip.fastFixCount == 0 && trip.isWalking)
        #expect(trip.fixCount == 144)
        #expect(trip.isOpen)
    }

    /// A fix a minute: the jog's 240 m steps never fit a stay's radius, so both stays and trips have plain
    /// arithmetic bounds. The first stay takes in the last walking fix, 84 m before the stop.
    @Test func aJogIsNoWalkAndLeavesTheWalkingDistance() throws {
        var walk = Walk(interval: 60)
        walk.walk(speed: 1.4, for: 600)
        walk.stop(for: 600)
        walk.walk(speed: 4, for: 600)
        walk.stop(for: 600)
        let track = DeviceTrack.fed(walk.fixes)
        let t0 = Walk.morning

        try #require(track.stays.count == 2)
        let (café, park) = (track.stays[0], track.stays[1])
        #expect(café.deviceId == 1 && café.start == t0 + 540 && café.end == t0 + 1200)
        #expect(abs(café.latitude - walk.latitude(north: 833)) < 1e-9 && café.longitude == 2.3522)
        #expect(café.fixCount == 12 && !café.isOpen)
        #expect(park.deviceId == 1 && park.start == t0 + 1800 && park.end == t0 + 2400)
        #expect(abs(park.latitude - walk.latitude(north: 3240)) < 1e-9 && park.longitude == 2.3522)
        #expect(park.fixCount == 11 && park.isOpen)

        try #require(track.trips.count == 2)
        let (stroll, jog) = (track.trips[0], track.trips[1])
        #expect(stroll.deviceId == 1 && stroll.start == t0 && stroll.end == t0 + 540 && stroll.duration == 540)
        #expect(stroll.startLatitude == 48.8566 && stroll.endLatitude == walk.latitude(north: 756))
        #expect(stroll.startLongitude == 2.3522 && stroll.endLongitude == 2.3522)
        #expect(abs(stroll.distance - 756) < 1e-6 && abs(stroll.meanSpeed - 1.4) < 1e-9)
        #expect(abs(stroll.maxSpeed - 1.4) < 1e-9)
        #expect(stroll.fastFixCount == 0 && stroll.isWalking && stroll.fixCount == 10 && !stroll.isOpen)
        #expect(jog.deviceId == 1 && jog.start == t0 + 1200 && jog.end == t0 + 1800 && jog.duration == 600)
        #expect(jog.startLongitude == 2.3522 && jog.endLongitude == 2.3522)
        #expect(jog.startLatitude == walk.latitude(north: 840) && jog.endLatitude == walk.latitude(north: 3240))
        #expect(abs(jog.distance - 2400) < 1e-6)
        #expect(abs(jog.meanSpeed - 4) < 1e-9 && abs(jog.maxSpeed - 4) < 1e-9)
        #expect(jog.fastFixCount == 10 && !jog.isWalking && jog.fixCount == 11 && !jog.isOpen)

        let days = track.dailyTotals()
        try #require(days.count == 1)
        #expect(days[0].deviceId == 1 && days[0].day == Date(timeIntervalSince1970: 1_772_409_600))
        #expect(abs(days[0].walkingDistance - 756) < 1e-6)
        #expect(days[0].activeTime == 1140)
    }
}
