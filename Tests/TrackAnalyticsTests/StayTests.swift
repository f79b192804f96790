import Foundation
import Testing
import TrackAnalytics

@Suite struct StayTests {
    /// A fix a minute at 1.4 m/s puts the fixes either side of the stop 84 m from it: within the radius
    /// of the centroid, so they belong to the stay, which therefore starts a minute before the arrival
    /// and ends a minute after the departure.
    @Test func aTwentyMinuteStopIsOneStayBetweenTwoTrips() throws {
        var walk = Walk(interval: 60)
        walk.walk(speed: 1.4, for: 300)
        walk.stop(for: 1200)
        walk.walk(speed: 1.4, for: 300)
        let track = DeviceTrack.fed(walk.fixes)
        let t0 = Walk.morning

        try #require(track.stays.count == 1)
        let stay = track.stays[0]
        #expect(stay.deviceId == 1)
        #expect(stay.start == t0 + 240)
        #expect(stay.end == t0 + 1560)
        #expect(abs(stay.latitude - walk.latitude(north: 420)) < 1e-9)
        #expect(stay.longitude == 2.3522)
        #expect(stay.fixCount == 23)
        #expect(stay.duration == 1320)
        #expect(!stay.isOpen)

        try #require(track.trips.count == 2)
        let (arriving, leaving) = (track.trips[0], track.trips[1])
        #expect(arriving.start == t0 && arriving.end == t0 + 240)
        #expect(arriving.startLatitude == walk.latitude(north: 0) && arriving.startLongitude == 2.3522)
        #expect(arriving.endLatitude == walk.latitude(north: 336) && arriving.endLongitude == 2.3522)
        #expect(abs(arriving.distance - 336) < 1e-6)
        #expect(arriving.duration == 240 && abs(arriving.meanSpeed - 1.4) < 1e-9 && abs(arriving.maxSpeed - 1.4) < 1e-9)
        #expect(arriving.fastFixCount == 0 && arriving.fixCount == 5 && !arriving.isOpen && arriving.isWalking)
        #expect(leaving.start == t0 + 1560 && leaving.end == t0 + 1800)
        #expect(leaving.startLatitude == walk.latitude(north: 504) && leaving.endLatitude == walk.latitude(north: 840))
        #expect(abs(leaving.distance - 336) < 1e-6)
        #expect(leaving.startLongitude == 2.3522 && leaving.endLongitude == 2.3522)
        #expect(leaving.duration == 240 && abs(leaving.meanSpeed - 1.4) < 1e-9 && abs(leaving.maxSpeed - 1.4) < 1e-9)
        #expect(leaving.fastFixCount == 0 && leaving.fixCount == 5 && leaving.isOpen && leaving.isWalking)

        let days = track.dailyTotals()
        try #require(days.count == 1)
        #expect(days[0].deviceId == 1)
        #expect(days[0].day == Date(timeIntervalSince1970: 1_772_409_600))
        #expect(abs(days[0].walkingDistance - 672) < 1e-6)
        #expect(days[0].activeTime == 480)
    }

    @Test func gpsJitterOf20MetresStaysOneStayWithoutATrip() throws {
        var generator = SplitMix64(seed: 42)
        var walk = Walk()
        walk.stop(for: 1800, jitter: 20, using: &generator)
        let track = DeviceTrack.fed(walk.fixes)

        try #require(track.stays.count == 1)
        let stay = track.stays[0]
        let count = Double(walk.fixes.count)
        #expect(stay.deviceId == 1)
        #expect(stay.start == Walk.morning && stay.end == Walk.morning + 1800)
        #expect(abs(stay.latitude - walk.fixes.map(\.latitude).reduce(0, +) / count) < 1e-9)
        #expect(abs(stay.longitude - walk.fixes.map(\.longitude).reduce(0, +) / count) < 1e-9)
        #expect(stay.fixCount == 181)
        #expect(stay.isOpen)
        #expect(track.trips.isEmpty)
        let days = track.dailyTotals()
        #expect(days.count == 1 && days[0].walkingDistance == 0 && days[0].activeTime == 0)
    }

    /// Fixes within the radius span at most 200 m, 143 s at 1.4 m/s: with a 2-minute pause that is
    /// still less than the stay duration.
    @Test func aTwoMinutePauseIsNoStay() {
        var walk = Walk()
        walk.walk(speed: 1.4, for: 300)
        walk.stop(for: 120)
        walk.walk(speed: 1.4, for: 300)
        let track = DeviceTrack.fed(walk.fixes)
        #expect(track.stays.isEmpty)
        #expect(track.trips.count == 1)
        #expect(abs((track.trips.first?.distance ?? 0) - 840) < 1e-6)
        #expect(track.trips.first?.duration == 720)
    }
}
