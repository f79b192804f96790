import Foundation
import Testing
import TrackAnalytics

@Suite struct RetentionTests {
    static let hour = AnalyticsSettings(retention: 3600)
    static let forever = AnalyticsSettings(retention: 1e9)

    /// Four hours of 10-minute walks between 20-minute stays, a fix a minute.
    static let morning: [Fix] = {
        var walk = Walk(interval: 60)
        for _ in 0..<8 {
            walk.walk(speed: 1.4, for: 600)
            walk.stop(for: 1200)
        }
        return walk.fixes
    }()

    @Test func aFixOlderThanTheRetentionIsRefused() {
        var track = DeviceTrack.fed(Self.morning, settings: Self.hour)
        let before = (track.stays, track.trips, track.dailyTotals())
        let stale = Fix(deviceId: 1, positionId: 99, fixTime: Self.morning.last!.fixTime - 3601, latitude: 48,
                        longitude: 2)
        #expect(track.add(stale) == .tooOld)
        #expect(track.stays == before.0 && track.trips == before.1 && track.dailyTotals() == before.2)
    }

    @Test func forgettingOldFixesKeepsTheRecentResultsAndTheDaysTotals() throws {
        let pruned = DeviceTrack.fed(Self.morning, settings: Self.hour)
        let kept = DeviceTrack.fed(Self.morning, settings: Self.forever)
        try #require(kept.stays.count == 8)
        #expect(pruned.stays.count < kept.stays.count)
        #expect(pruned.stays == Array(kept.stays.suffix(pruned.stays.count)))
        #expect(pruned.trips == Array(kept.trips.suffix(pruned.trips.count)))
        #expect(pruned.trips.first?.start == pruned.stays.first?.end)
        #expect(pruned.dailyTotals() == kept.dailyTotals())
    }

    @Test func aLateFixWithinTheRetentionStillMergesAfterForgetting() {
        let late = Self.morning.count - 40
        var track = DeviceTrack.fed(Array(Self.morning[..<late] + Self.morning[(late + 1)...]), settings: Self.hour)
        _ = track.add(Self.morning[late])
        let kept = DeviceTrack.fed(Self.morning, settings: Self.forever)
        #expect(track.stays == Array(kept.stays.suffix(track.stays.count)))
        #expect(track.trips == Array(kept.trips.suffix(track.trips.count)))
        #expect(track.dailyTotals() == kept.dailyTotals())
    }
}
