import Foundation
import Testing
@testable import TrackCore

struct PublishLedgerTests {
    let start = Date(timeIntervalSince1970: 1_795_000_000)

    @Test func theCursorFollowsContiguousDeliveries() {
        var ledger = PublishLedger(cursor: 10)
        ledger.sending([11, 12, 13], now: start)
        #expect(ledger.cursor == 10)
        ledger.delivered(12)
        #expect(ledger.cursor == 10, "11 is still in flight")
        ledger.delivered(11)
        #expect(ledger.cursor == 12)
        ledger.delivered(13)
        #expect(ledger.cursor == 13)
        #expect(ledger.highestRead == 13)
        #expect(ledger.inFlightCount == 0)
    }

    @Test func aHoleHoldsTheCursorUntilItsRowAppears() {
        var ledger = PublishLedger(cursor: 0)
        ledger.sending([1, 2, 5], now: start)
        for id: Int64 in [1, 2, 5] { ledger.delivered(id) }
        #expect(ledger.cursor == 2)
        #expect(ledger.holeCount == 2)
        #expect(ledger.idsToReread(limit: 10) == [3, 4])
        ledger.sending([3], now: start.addingTimeInterval(1))
        ledger.delivered(3)
        #expect(ledger.cursor == 3, "4 is still a hole")
        #expect(ledger.idsToReread(limit: 10) == [4])
    }

    @Test func holesAreGivenUpAfterTheTimeout() {
        var ledger = PublishLedger(cursor: 0, holeTimeout: 60)
        ledger.sending([1, 4], now: start)
        ledger.delivered(1)
        ledger.delivered(4)
        ledger.expireHoles(now: start.addingTimeInterval(59))
        #expect(ledger.cursor == 1)
        ledger.expireHoles(now: start.addingTimeInterval(61))
        #expect(ledger.cursor == 4)
        #expect(ledger.holeCount == 0)
    }

    @Test func aFailedDeliveryIsSentAgainAndHoldsTheCursor() {
        var ledger = PublishLedger(cursor: 0)
        ledger.sending([1, 2, 3], now: start)
        ledger.delivered(1)
        ledger.failedDelivery(2)
        ledger.delivered(3)
        #expect(ledger.cursor == 1)
        #expect(ledger.idsToReread(limit: 10) == [2])
        #expect(ledger.failedCount == 1)
        ledger.sending([2], now: start)
        ledger.delivered(2)
        #expect(ledger.cursor == 3)
        #expect(ledger.failedCount == 0)
    }

    @Test func aVeryWideGapIsNotTrackedIdByIdAndOldIdsAreIgnored() {
        var ledger = PublishLedger(cursor: 0, widestHole: 1000)
        ledger.sending([5000], now: start)
        #expect(ledger.holeCount == 0)
        ledger.delivered(5000)
        #expect(ledger.cursor == 5000)
        ledger.sending([7], now: start)
        #expect(ledger.inFlightCount == 0, "ids at or below the cursor are already done")
    }

    @Test func aLateDeliveryReportForARereadIdIsHarmless() {
        var ledger = PublishLedger(cursor: 0)
        ledger.sending([1], now: start)
        ledger.failedDelivery(1)
        ledger.failedDelivery(1)
        #expect(ledger.failedCount == 1)
        ledger.delivered(1)
        #expect(ledger.cursor == 0, "a failed id waits for its resend")
    }
}
