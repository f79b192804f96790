import Foundation
import Testing
import TrackAnalytics

/// Seeded random days of walks, jittery stays, runs and still stops, checked against the definitions and
/// against themselves in other orders.
@Suite struct RandomDayTests {
    static func day(seed: UInt64, interval: TimeInterval, start: Date = Walk.morning) -> [Fix] {
        var generator = SplitMix64(seed: seed)
        var walk = Walk(deviceId: 1, start: start, interval: interval)
        for _ in 0..<12 {
            let seconds = Double(Int.random(in: 1...40, using: &generator)) * 30
            switch Int.random(in: 0..<4, using: &generator) {
            case 0: walk.walk(speed: .random(in: 0.5...2, using: &generator), for: seconds)
            case 1: walk.stop(for: seconds, jitter: .random(in: 1...60, using: &generator), using: &generator)
            case 2: walk.walk(speed: .random(in: 3...8, using: &generator), for: seconds / 2)
            default: walk.stop(for: seconds)
            }
        }
        return walk.fixes
    }

    @Test(arguments: 0..<12 as Range<UInt64>) func everyOrderGivesStaysThatFitTheDefinition(seed: UInt64) {
        let fixes = Self.day(seed: seed, interval: [10, 30, 60][Int(seed % 3)])
        let inOrder = DeviceTrack.fed(fixes)
        for stay in inOrder.stays {
            let members = fixes.filter { $0.fixTime >= stay.start && $0.fixTime <= stay.end }
            #expect(members.count == stay.fixCount)
            #expect(stay.duration >= 300)
            #expect(members.allSatisfy {
                Haversine.distance(fromLatitude: $0.latitude, longitude: $0.longitude, toLatitude: stay.latitude,
                                   longitude: stay.longitude) <= 100 + 1e-6
            })
        }

        var generator = SplitMix64(seed: seed + 1000)
        var arrivals = fixes + fixes.filter { _ in Bool.random(using: &generator) }
        arrivals.shuffle(using: &generator)
        let shuffled = DeviceTrack.fed(arrivals)
        #expect(shuffled.stays == inOrder.stays)
        #expect(shuffled.trips == inOrder.trips)
        #expect(shuffled.dailyTotals() == inOrder.dailyTotals())
    }

    /// Three random days run into one another from 20:00, past midnight, each fix up to an hour late, with
    /// two hours of retention: what the track still lists matches a track that never forgets.
    @Test(arguments: 0..<6 as Range<UInt64>) func lateFixesAndForgettingMatchOnePass(seed: UInt64) {
        var fixes: [Fix] = []
        for part in 0..<3 as Range<UInt64> {
            let start = fixes.last.map { $0.fixTime + 60 } ?? Walk.morning + 12 * 3600
            fixes += Self.day(seed: seed * 3 + part, interval: 60, start: start).dropFirst(fixes.isEmpty ? 0 : 1)
        }
        fixes = fixes.enumerated().map { var fix = $0.element; fix.positionId = Int64($0.offset); return fix }
        var generator = SplitMix64(seed: seed)
        let arrivals = fixes.map { ($0, $0.fixTime + .random(in: 0...3600, using: &generator)) }
            .sorted { $0.1 < $1.1 }.map(\.0)

        let late = DeviceTrack.fed(arrivals, settings: AnalyticsSettings(retention: 7200))
        let kept = DeviceTrack.fed(fixes, settings: AnalyticsSettings(retention: 1e9))
        #expect(late.stays == Array(kept.stays.suffix(late.stays.count)))
        #expect(late.trips == Array(kept.trips.suffix(late.trips.count)))
        #expect(late.stays.count < kept.stays.count)
        let days = late.dailyTotals()
        #expect(days == Array(kept.dailyTotals().suffix(days.count)))
    }
}
