import Foundation
import Testing
import TrackAnalytics

/// Late, reordered and repeated fixes must give the results of the fixes in order, or idempotent upserts
/// downstream would keep whichever answer they saw last.
@Suite struct OrderTests {
    /// A walk, a jittery stay, a jog, another jittery stay and a walk: 2 stays, 3 trips.
    static let day: [Fix] = {
        var generator = SplitMix64(seed: 7)
        var walk = Walk()
        walk.walk(speed: 1.4, for: 600)
        walk.stop(for: 900, jitter: 20, using: &generator)
        walk.walk(speed: 4, for: 300)
        walk.stop(for: 600, jitter: 20, using: &generator)
        walk.walk(speed: 1.4, for: 400)
        return walk.fixes
    }()

    @Test func theDayHasTheExpectedShape() {
        let track = DeviceTrack.fed(Self.day)
        #expect(track.stays.count == 2 && track.stays.allSatisfy { !$0.isOpen })
        #expect(track.trips.map(\.isWalking) == [true, false, true])
        #expect(track.trips.map(\.isOpen) == [false, false, true])
    }

    @Test func shuffledFixesWithDuplicatesGiveTheSameResults() {
        var generator = SplitMix64(seed: 11)
        let repeats = Self.day.enumerated().filter { $0.offset % 5 == 0 }.map(\.element)
        // Same fix time, a later position id and 30 m off: the same fix reported again.
        let resent = Self.day.enumerated().filter { $0.offset % 7 == 3 }.map {
            Fix(deviceId: 1, positionId: $0.element.positionId + 500_000, fixTime: $0.element.fixTime,
                latitude: $0.element.latitude, longitude: $0.element.longitude + 0.0004)
        }
        var arrivals = Self.day + repeats + resent
        arrivals.shuffle(using: &generator)
        let resentAfterOriginal = resent.filter { copy in
            let original = Self.day.first { $0.fixTime == copy.fixTime }
            return arrivals.firstIndex(of: copy)! > arrivals.firstIndex(of: original!)!
        }

        var track = DeviceTrack(deviceId: 1)
        let outcomes = arrivals.map { track.add($0) }

        let inOrder = DeviceTrack.fed(Self.day)
        #expect(outcomes.filter { $0 == .duplicate }.count == repeats.count + resentAfterOriginal.count)
        #expect(!outcomes.contains(.tooOld))
        #expect(track.stays == inOrder.stays)
        #expect(track.trips == inOrder.trips)
        #expect(track.dailyTotals() == inOrder.dailyTotals())
    }

    @Test func aLateFixInAPastTripGivesTheInOrderResults() throws {
        let inOrder = DeviceTrack.fed(Self.day)
        let jog = inOrder.trips[1]
        let late = try #require(Self.day.firstIndex { $0.fixTime == jog.start + 150 })
        var track = DeviceTrack.fed(Array(Self.day[..<late] + Self.day[(late + 1)...]))
        #expect(track.trips != inOrder.trips)

        #expect(track.add(Self.day[late]) == .changed(since: jog.start))
        #expect(jog.start == inOrder.stays[0].end)
        #expect(track.stays == inOrder.stays)
        #expect(track.trips == inOrder.trips)
        #expect(track.dailyTotals() == inOrder.dailyTotals())
    }

    @Test func ofTwoFixesAtOneTimeTheLowestPositionIdWinsInEitherOrder() {
        var walk = Walk()
        walk.walk(speed: 1.4, for: 600)
        let original = walk.fixes[30]
        let spike = Fix(deviceId: 1, positionId: original.positionId + 1, fixTime: original.fixTime,
                        latitude: original.latitude, longitude: original.longitude + 0.01)
        var spikeFirst = DeviceTrack.fed(Array(walk.fixes[..<30]))
        #expect(spikeFirst.add(spike) == .changed(since: Walk.morning))
        #expect(spikeFirst.add(original) == .changed(since: Walk.morning))
        for fix in walk.fixes[31...] { _ = spikeFirst.add(fix) }

        var originalFirst = DeviceTrack.fed(Array(walk.fixes[...30]))
        #expect(originalFirst.add(spike) == .duplicate)
        for fix in walk.fixes[31...] { _ = originalFirst.add(fix) }

        let plain = DeviceTrack.fed(walk.fixes)
        #expect(spikeFirst.trips == plain.trips && originalFirst.trips == plain.trips)
        #expect(abs(plain.trips[0].distance - 840) < 1e-6)
    }
}
