import Foundation

/// Running sums per UTC day. Segments are added in time order, so a carry of pruned segments plus the
/// rest sums in the same order, to the last bit, as one pass over every fix.
struct DailyTotals: Sendable {
    private var walking: [Date: Double] = [:]
    private var active: [Date: TimeInterval] = [:]

    private static let secondsPerDay: TimeInterval = 86_400

    /// Midnight UTC before `time`: Unix time has no leap seconds, so UTC days are whole multiples of a day.
    static func day(of time: Date) -> Date {
        Date(timeIntervalSince1970: (time.timeIntervalSince1970 / secondsPerDay).rounded(.down) * secondsPerDay)
    }

    /// Adds the segment from `from` to `to`, the next fix `metres` away; one inside a stay adds nothing.
    mutating func add(from: Fix, to: Fix, metres: Double, moving: Bool, maxWalkSpeed: Double) {
        guard moving else { return }
        let seconds = to.fixTime.timeIntervalSince(from.fixTime)
        let isWalking = metres / seconds <= maxWalkSpeed
        var day = Self.day(of: from.fixTime)
        while day < to.fixTime {
            let next = day.addingTimeInterval(Self.secondsPerDay)
            let overlap = min(to.fixTime, next).timeIntervalSince(max(from.fixTime, day))
            active[day, default: 0] += overlap
            if isWalking { walking[day, default: 0] += metres * overlap / seconds }
            day = next
        }
    }

    /// Only `day`'s sums: the part of a day a track still reports that its pruned fixes made up.
    func keeping(day: Date) -> DailyTotals {
        var kept = DailyTotals()
        kept.walking[day] = walking[day]
        kept.active[day] = active[day]
        return kept
    }

    /// One total for every day from `first` through `last`, so that a day spent in a stay reads 0.
    func totals(deviceId: Int, from first: Date, through last: Date) -> [DailyTotal] {
        stride(from: first.timeIntervalSince1970, through: last.timeIntervalSince1970, by: Self.secondsPerDay).map {
            let day = Date(timeIntervalSince1970: $0)
            return DailyTotal(deviceId: deviceId, day: day, walkingDistance: walking[day] ?? 0,
                              activeTime: active[day] ?? 0)
        }
    }
}
