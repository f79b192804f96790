import Foundation
import Testing
import TrackAnalytics

@Suite struct DailyTotalTests {
    @Test func aWalkOverMidnightIsSplitBetweenTheDays() throws {
        let midnight = Date(timeIntervalSince1970: 1_772_409_600)
        var walk = Walk(deviceId: 7, start: midnight - 300)
        walk.walk(speed: 1.4, for: 600)
        let track = DeviceTrack.fed(walk.fixes)
        let days = track.dailyTotals()

        #expect(track.dailyTotals(since: midnight + 1) == Array(days.suffix(1)))
        try #require(days.count == 2)
        #expect(days[0].deviceId == 7 && days[0].day == midnight - 86_400)
        #expect(abs(days[0].walkingDistance - 420) < 1e-6 && days[0].activeTime == 300)
        #expect(days[1].deviceId == 7 && days[1].day == midnight)
        #expect(abs(days[1].walkingDistance - 420) < 1e-6 && days[1].activeTime == 300)
    }

    @Test func aDaySpentInOneStayReadsZero() throws {
        var walk = Walk(interval: 600)
        walk.stop(for: 2 * 86_400)
        let days = DeviceTrack.fed(walk.fixes).dailyTotals()
        #expect(days.map(\.day) == [0.0, 1, 2].map { Date(timeIntervalSince1970: 1_772_409_600 + $0 * 86_400) })
        #expect(days.allSatisfy { $0.walkingDistance == 0 && $0.activeTime == 0 })
    }
}
