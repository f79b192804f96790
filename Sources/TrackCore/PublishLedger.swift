import Foundation

/// Tracks which committed positions have reached Kafka, so the persisted cursor only ever moves past
/// ids that are delivered or can never appear.
///
/// Ids come from a sequence, but two writers commit out of id order, and an `ON CONFLICT DO NOTHING`
/// retry burns an id for good. An id missing below the highest one read is therefore a *hole*: either a
/// transaction that has not committed yet, or a gap forever. Holes are re-read until `holeTimeout`
/// (longer than any batch transaction may run) and then given up, and the cursor never passes an
/// unresolved hole, an undelivered id or one whose delivery failed.
public struct PublishLedger: Sendable {
    /// Every id up to here is delivered or known never to exist; safe to persist.
    public private(set) var cursor: Int64
    /// The highest id handed out for sending; new rows are read after it.
    public private(set) var highestRead: Int64
    private var inFlight: Set<Int64> = []
    private var holes: [Int64: Date] = [:]
    private var failed: Set<Int64> = []
    private let holeTimeout: TimeInterval
    /// Wider gaps come from deleted rows or a restarted sequence, not from transactions still in flight.
    private let widestHole: Int64

    public init(cursor: Int64, holeTimeout: TimeInterval = 90, widestHole: Int64 = 100_000) {
        self.cursor = cursor
        highestRead = cursor
        self.holeTimeout = holeTimeout
        self.widestHole = widestHole
    }

    /// Records rows just read (new ones after `highestRead`, or holes and failures re-read) as being sent.
    public mutating func sending(_ ids: [Int64], now: Date) {
        for id in ids.sorted() where id > cursor {
            if id > highestRead {
                if id - highestRead - 1 <= widestHole {
                    for missing in (highestRead + 1)..<id { holes[missing] = now }
                }
                highestRead = id
            }
            holes[id] = nil
            failed.remove(id)
            inFlight.insert(id)
        }
        advance()
    }

    public mutating func delivered(_ id: Int64) {
        inFlight.remove(id)
        advance()
    }

    /// A delivery that failed (broker down past the message timeout): the row must be read and sent again.
    public mutating func failedDelivery(_ id: Int64) {
        guard inFlight.remove(id) != nil else { return }
        failed.insert(id)
    }

    /// Gives up holes older than the timeout: their transactions can no longer commit.
    public mutating func expireHoles(now: Date) {
        holes = holes.filter { now.timeIntervalSince($0.value) < holeTimeout }
        advance()
    }

    /// Ids to read again: failed deliveries first, then holes, lowest first.
    public func idsToReread(limit: Int) -> [Int64] {
        Array((failed.sorted() + holes.keys.sorted()).prefix(limit))
    }

    public var inFlightCount: Int { inFlight.count }
    public var holeCount: Int { holes.count }
    public var failedCount: Int { failed.count }

    /// Steps the cursor over ids that no longer block it: constant work per id in the usual case of ids
    /// delivered about in order, where taking the minimum of every set would cost the ids in flight each time.
    private mutating func advance() {
        for _ in 0..<1024 {
            guard cursor < highestRead else { return }
            let next = cursor + 1
            if inFlight.contains(next) || holes[next] != nil || failed.contains(next) { return }
            cursor = next
        }
        // A wide gap (deleted rows, a restarted sequence): jump it at once.
        let blocked = [inFlight.min(), holes.keys.min(), failed.min()].compactMap { $0 }.min()
        cursor = max(cursor, (blocked ?? highestRead + 1) - 1)
    }
}
