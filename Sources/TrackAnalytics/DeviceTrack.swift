import Foundation

/// One device's stays, trips and daily totals, the same whatever order its fixes arrive in.
///
/// Fixes are kept sorted by time, and the stay detector's state after each one is kept beside it. A fix
/// arriving in order continues from the last state; a late one replays from the state before it, and
/// only the stays, trips and days from that point on are rebuilt. Results are therefore exactly those of
/// one pass over the fixes in time order, provided every fix arrives within `retention` of the newest:
/// older ones are refused, which is what lets the track forget its oldest fixes.
///
/// Bounds: refusing fixes older than `retention` lets the track forget the fixes before the last stay
/// that no accepted fix can reach any more. It keeps about 120 bytes per fix for a little over
/// `retention` of fixes; more while the device goes longer than that without a stay, or stays put for
/// longer. A fix in order costs time in proportion to the fixes since the device left its last stay.
public struct DeviceTrack: Sendable {
    public enum Outcome: Sendable, Equatable {
        /// Stays and trips starting at or after `since`, and daily totals from its UTC day on, were rebuilt;
        /// earlier ones are as before. A store should drop its rows for this device from `since` on that
        /// the track no longer lists: a late fix can move a stay's start, which is part of its key.
        case changed(since: Date)
        /// A fix with this fix time is already kept. Fixes sharing a time are one fix reported twice (a
        /// device cannot be in two places at once), so the one with the lowest position id is kept,
        /// whatever order they came in; a higher one changes nothing.
        case duplicate
        /// More than `retention` older than the device's newest fix.
        case tooOld
    }

    public let deviceId: Int
    public let settings: AnalyticsSettings
    /// Sorted by fix time, one per fix time.
    private var fixes: [Fix] = []
    /// `detectors[i]` is the stay detector right after `fixes[i]`. Those whose window starts before the
    /// first kept fix are never read again: no accepted fix can land before the window they start.
    private var detectors: [StayDetector] = []
    /// `metres[i]` is the distance from `fixes[i - 1]` to `fixes[i]`, 0 for the first: measured once, as
    /// trips and daily totals add it up again after every change.
    private var metres: [Double] = []
    /// Stays that a later fix ended, in time order.
    private var closedStays: [Stay] = []
    /// Trips in time order, the last one open when the device has left its last stay.
    public private(set) var trips: [Trip] = []
    /// What forgotten fixes added to the day of the first kept fix.
    private var carry = DailyTotals()

    public init(deviceId: Int, settings: AnalyticsSettings = AnalyticsSettings()) {
        self.deviceId = deviceId
        self.settings = settings
    }

    /// Stays in time order, the last one open while the device is still there.
    public var stays: [Stay] { openStay.map { closedStays + [$0] } ?? closedStays }

    /// The stay the device is in after its newest fix, if any; cheap enough to ask after every fix.
    public var openStay: Stay? {
        guard let current = detectors.last, current.isStay(in: fixes, duration: settings.stayDuration) else {
            return nil
        }
        return current.stay(in: fixes, isOpen: true)
    }

    /// The fix time of the device's newest fix.
    public var newestFixTime: Date? { fixes.last?.fixTime }

    /// The last stay the device left.
    public var lastClosedStay: Stay? { closedStays.last }

    public mutating func add(_ fix: Fix) -> Outcome {
        precondition(fix.deviceId == deviceId, "a fix of device \(fix.deviceId) in the track of device \(deviceId)")
        if let newest = fixes.last?.fixTime, fix.fixTime < newest.addingTimeInterval(-settings.retention) {
            return .tooOld
        }
        let index = fixes.firstIndex(notBefore: fix.fixTime)
        if index < fixes.count && fixes[index].fixTime == fix.fixTime {
            guard fix.positionId < fixes[index].positionId else { return .duplicate }
            fixes[index] = fix
        } else {
            fixes.insert(fix, at: index)
            metres.insert(0, at: index)
        }
        for next in index...min(index + 1, fixes.count - 1) where next > 0 {
            metres[next] = fixes[next - 1].distance(to: fixes[next])
        }
        let since = replay(from: index)
        forget()
        return .changed(since: since)
    }

    /// One total per UTC day, from the day of `time` (or of the first kept fix, if later) to the newest
    /// fix's day: pass the `since` of an `Outcome` to read only the days it changed.
    public func dailyTotals(since time: Date = .distantPast) -> [DailyTotal] {
        guard let first = fixes.first, let last = fixes.last else { return [] }
        let firstKeptDay = DailyTotals.day(of: first.fixTime)
        let firstDay = max(DailyTotals.day(of: time), firstKeptDay)
        // A day's sums start with the carry on the first kept day, else with the segment crossing into it.
        var totals = firstDay == firstKeptDay ? carry : DailyTotals()
        sum(segmentsEndingAt: max(1, fixes.firstIndex(notBefore: firstDay))..<fixes.count, into: &totals)
        return totals.totals(deviceId: deviceId, from: firstDay, through: DailyTotals.day(of: last.fixTime))
    }

    /// Runs the stay detector again from `fixes[index]` on and rebuilds the trips it affects; returns the
    /// time from which results changed: the end of the last stay the replay left alone.
    private mutating func replay(from index: Int) -> Date {
        detectors.removeSubrange(index...)
        if let restart = detectors.last {
            let window = fixes[restart.first].fixTime
            closedStays.removeAll { $0.end >= window }
        } else {
            closedStays.removeAll()
        }
        let since = closedStays.last?.end ?? fixes[0].fixTime
        for next in index..<fixes.count {
            guard var detector = detectors.last else {
                detectors.append(StayDetector(next...next, of: fixes))
                continue
            }
            if let stay = detector.add(next, of: fixes, radius: settings.stayRadius,
                                       duration: settings.stayDuration) {
                closedStays.append(stay)
            }
            detectors.append(detector)
        }
        trips.removeAll { $0.start >= since }
        trips += TripBuilder(maxWalkSpeed: settings.maxWalkSpeed)
            .trips(in: fixes, metres: metres, from: fixes.firstIndex(notBefore: since), between: stays)
        return since
    }

    /// Drops the fixes before the last stay that no accepted fix can change any more, keeping what they
    /// added to that stay's day. Only a stay's start makes a clean cut: the trip before it is complete.
    private mutating func forget() {
        guard let newest = fixes.last?.fixTime else { return }
        let horizon = fixes.firstIndex(notBefore: newest.addingTimeInterval(-settings.retention))
        guard horizon > 0 else { return }
        // A fix at or after the horizon replays from a window starting here or later.
        let settled = fixes[detectors[horizon - 1].first].fixTime
        guard let anchor = closedStays.last(where: { $0.end < settled }) else { return }
        let cut = fixes.firstIndex(notBefore: anchor.start)
        guard cut > 0 else { return }
        var totals = carry
        sum(segmentsEndingAt: 1..<cut + 1, into: &totals)
        carry = totals.keeping(day: DailyTotals.day(of: anchor.start))
        fixes.removeFirst(cut)
        metres.removeFirst(cut)
        detectors.removeFirst(cut)
        for index in detectors.indices { detectors[index].shift(by: cut) }
        closedStays.removeAll { $0.start < anchor.start }
        trips.removeAll { $0.start < anchor.start }
    }

    /// Adds the segments ending at `fixes[ends]` to `totals`, in time order.
    private func sum(segmentsEndingAt ends: Range<Int>, into totals: inout DailyTotals) {
        let stays = self.stays
        var next = 0
        for index in ends {
            let from = fixes[index - 1]
            let to = fixes[index]
            while next < stays.count && stays[next].end < to.fixTime { next += 1 }
            let inStay = next < stays.count && stays[next].start <= from.fixTime
            totals.add(from: from, to: to, metres: metres[index], moving: !inStay, maxWalkSpeed: settings.maxWalkSpeed)
        }
    }
}
