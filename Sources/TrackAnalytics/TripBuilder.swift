import Foundation

/// Cuts a device's fixes into trips at its stays.
struct TripBuilder: Sendable {
    let maxWalkSpeed: Double

    /// The trips over `fixes[start...]`; `metres[i]` is the distance from `fixes[i - 1]` to `fixes[i]`.
    /// `start` must be the last fix of a stay or the track's first fix, so that no trip is cut short, and
    /// `stays` are the track's stays in time order. A trip needs two fixes: one fix is no movement yet.
    func trips(in fixes: [Fix], metres: [Double], from start: Int, between stays: [Stay]) -> [Trip] {
        var trips: [Trip] = []
        var current: Trip?
        var next = stays.startIndex
        var index = start
        while index < fixes.endIndex {
            let fix = fixes[index]
            while next < stays.endIndex && stays[next].end < fix.fixTime { next += 1 }
            if next < stays.endIndex && stays[next].start <= fix.fixTime {
                let stay = stays[next]
                if fix.fixTime == stay.start, var trip = current {
                    trip.arrive(at: fix, metres: metres[index], maxWalkSpeed: maxWalkSpeed)
                    trips.append(trip)
                }
                // Nothing inside a stay matters to a trip: skip to its last fix, where the next trip starts.
                index = fixes.firstIndex(notBefore: stay.end)
                current = stay.isOpen ? nil : Trip(from: fixes[index])
                next += 1
            } else if current == nil {
                current = Trip(from: fix)
            } else {
                current?.extend(to: fix, metres: metres[index], maxWalkSpeed: maxWalkSpeed)
            }
            index += 1
        }
        if let current, current.fixCount > 1 { trips.append(current) }
        return trips
    }
}
