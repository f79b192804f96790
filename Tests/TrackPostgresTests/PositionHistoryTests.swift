import Foundation
import Testing
import TestSupport
import TrackCore
import TrackPostgres

@Suite struct PositionHistoryTests {
    static let start = Date(timeIntervalSince1970: 1_795_000_000)  // 2026-11-18 11:06:40 UTC

    struct Stop: Error {}

    /// A fresh schema with devices `a` and `b`; returns the URL and their ids.
    func database() throws -> (url: String, devices: [Int]) {
        let url = try TestDatabase.createMigrated()
        return (url, try TestDatabase.devices(url, [("a", "a"), ("b", "b")]))
    }

    /// Inserts one row per offset, in the order given, so ids follow insertion and not fix time; rows with the
    /// same fix time differ in latitude. Returns (id, fix time) pairs.
    func insert(_ url: String, device: Int, seconds: [Double]) throws -> [(id: Int64, fixTime: Date)] {
        try seconds.enumerated().map { index, second in
            let time = PostgresText.timestamp(Self.start + second)
            let id = try TestDatabase.rows(url, """
                INSERT INTO tc_positions (deviceid, protocol, devicetime, fixtime, valid, latitude, longitude, altitude,
                    speed, course) VALUES ($1, 'osmand', $2, $2, true, $3, 13.4, 0, 0, 0) RETURNING id
                """, [String(device), time, String(52 + Double(index) / 1000)])[0][0].flatMap { Int64($0) } ?? 0
            return (id, Self.start + second)
        }
    }

    /// The ids of `rows` sorted the way history must come: fix time, then id.
    func expectedOrder(_ rows: [(id: Int64, fixTime: Date)]) -> [Int64] {
        rows.sorted { ($0.fixTime, $0.id) < ($1.fixTime, $1.id) }.map(\.id)
    }

    @Test func boundsAreInclusiveAndRowsComeByFixTimeNotId() throws {
        let (url, devices) = try database()
        let inserted = try insert(url, device: devices[0], seconds: [40, 10, 30, 20, 9.999_999, 40.000_001])
        _ = try insert(url, device: devices[1], seconds: [20])
        let history = PositionHistory(connection: try PostgresConnection(url: url))

        let rows = try history.rows(deviceId: devices[0], from: Self.start + 10, to: Self.start + 40, limit: 100)
        #expect(rows.map(\.id) == [inserted[1].id, inserted[3].id, inserted[2].id, inserted[0].id])
        #expect(rows.map(\.fixTime) == [10, 20, 30, 40].map { Self.start + $0 })
        #expect(rows.allSatisfy { $0.deviceId == devices[0] && $0.device.uniqueId == "a" })
        #expect(try history.rows(deviceId: devices[0], from: Self.start + 10, to: Self.start + 40, limit: 2).map(\.id)
                == [inserted[1].id, inserted[3].id])
        #expect(try history.rows(deviceId: devices[0], from: Self.start + 40, to: Self.start + 40, limit: 100)
                .map(\.id) == [inserted[0].id], "a range of one instant holds the row at that instant")
        #expect(try history.rows(deviceId: devices[0], from: Self.start + 41, to: Self.start + 10, limit: 100).isEmpty)
        #expect(try history.rows(deviceId: devices[0], from: Self.start, to: Self.start + 60, limit: 0).isEmpty)
        #expect(try history.rows(deviceId: 999_999, from: Self.start, to: Self.start + 60, limit: 100).isEmpty)
    }

    @Test func eachPagesThroughEqualFixTimesOnPageBoundariesWithoutSkippingOrRepeating() throws {
        let (url, devices) = try database()
        // In fix-time order: 0, 10, 20.000123 ×3, 30 ×2, 40; pages of 3 end inside the 20s and inside the 30s,
        // and the microseconds must survive the cursor. Inserted shuffled so ids disagree with fix times.
        let inserted = try insert(url, device: devices[0], seconds: [30, 20.000_123, 40, 0, 20.000_123, 30, 10,
                                                                      20.000_123])
        _ = try insert(url, device: devices[1], seconds: [20.000_123, 25])
        let history = PositionHistory(connection: try PostgresConnection(url: url))
        let from = Self.start, to = Self.start + 40

        var pages: [[Int64]] = []
        try history.each(deviceId: devices[0], from: from, to: to, batch: 3) { page in
            pages.append(page.map(\.id))
            return true
        }
        #expect(pages.map(\.count) == [3, 3, 2])
        #expect(pages.flatMap { $0 } == expectedOrder(inserted))
        #expect(try history.rows(deviceId: devices[0], from: from, to: to, limit: 100).map(\.id)
                == expectedOrder(inserted))

        var even: [Int] = []
        try history.each(deviceId: devices[0], from: from, to: to, batch: 4) { page in
            even.append(page.count)
            return true
        }
        #expect(even == [4, 4], "a last page that is exactly full is followed by no empty call")

        var inside: [Int64] = []
        try history.each(deviceId: devices[0], from: Self.start + 10, to: Self.start + 30, batch: 2) { page in
            inside += page.map(\.id)
            return true
        }
        #expect(inside == Array(expectedOrder(inserted)[1...6]), "the upper bound holds on later pages too")
    }

    @Test func eachStopsWhenTheBodySaysSoOrThrows() throws {
        let (url, devices) = try database()
        let inserted = try insert(url, device: devices[0], seconds: (0..<7).map { Double($0) })
        let history = PositionHistory(connection: try PostgresConnection(url: url))

        var seen: [Int64] = []
        try history.each(deviceId: devices[0], from: Self.start, to: Self.start + 60, batch: 3) { page in
            seen += page.map(\.id)
            return seen.count < 6
        }
        #expect(seen == Array(inserted.map(\.id).prefix(6)))

        var calls = 0
        #expect(throws: Stop.self) {
            try history.each(deviceId: devices[0], from: Self.start, to: Self.start + 60, batch: 3) { _ in
                calls += 1
                throw Stop()
            }
        }
        #expect(calls == 1)

        var none = 0
        try history.each(deviceId: devices[0], from: Self.start + 100, to: Self.start + 200) { _ in
            none += 1
            return true
        }
        #expect(none == 0, "an empty range calls the body never")
    }

    @Test func pagesCanBeReadOneQueryAtATimeOnAnyConnection() throws {
        let (url, devices) = try database()
        let inserted = try insert(url, device: devices[0], seconds: [5, 1, 3, 2, 4])
        var ids: [Int64] = []
        var cursor: PositionHistory.Cursor?
        var queries = 0
        repeat {
            // A fresh connection per page, as an export that gives its connection back between pages does.
            let page = try PositionHistory(connection: try PostgresConnection(url: url))
                .page(deviceId: devices[0], from: Self.start, to: Self.start + 60, after: cursor, batch: 2)
            ids += page.positions.map(\.id)
            cursor = page.next
            queries += 1
        } while cursor != nil
        #expect(ids == expectedOrder(inserted))
        #expect(queries == 3, "two full pages, then a short last one that hands on no cursor")
    }
}

extension PositionHistory {
    /// Every position of the range handed to `body` page by page, as the exports read them; `body` returning
    /// false stops the read.
    func each(deviceId: Int, from: Date, to: Date, batch: Int = 1000,
              _ body: ([StoredPosition]) throws -> Bool) throws {
        var cursor: Cursor?
        repeat {
            let page = try page(deviceId: deviceId, from: from, to: to, after: cursor, batch: batch)
            if !page.positions.isEmpty, try !body(page.positions) { return }
            cursor = page.next
        } while cursor != nil
    }
}
