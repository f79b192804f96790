import Foundation
import Testing
import TestSupport
import TrackCore
import TrackPostgres

@Suite struct CommittedPositionsTests {
    let fix = 1_795_000_000.0  // 2026-11-18 11:06:40 UTC

    @Test func readsRowsBackWithTheirDevicesAsTraccarJSON() async throws {
        let harness = try WriterHarness()
        let attributes: Attributes = ["batteryLevel": .double(87)]
        let received = Date(timeIntervalSince1970: fix + 3)
        #expect(await harness.write([report("phone-1", fix: fix, attributes: attributes),
                                     report("phone-2", fix: fix + 1)], receivedAt: received) == [.stored, .stored])
        let positions = CommittedPositions(connection: try PostgresConnection(url: harness.url))
        let rows = try positions.rows(after: 0, limit: 10)
        #expect(rows.map(\.device.uniqueId) == ["phone-1", "phone-2"])
        let first = try #require(rows.first)
        #expect(first.traccarJSON == """
            {"id":\(first.id),"attributes":{"batteryLevel":87.0},"deviceId":\(first.deviceId),"protocol":"osmand",\
            "serverTime":"2026-11-18T11:06:43.000+00:00","deviceTime":"2026-11-18T11:06:40.000+00:00",\
            "fixTime":"2026-11-18T11:06:40.000+00:00","valid":true,"latitude":52.5,"longitude":13.4,\
            "altitude":34.5,"speed":2.5,"course":90.0,"address":null,"accuracy":7.0,"network":null,\
            "geofenceIds":null}
            """)
        #expect(first.forwardedJSON.hasPrefix(#"{"position":{"id":\#(first.id),"#))
        #expect(first.forwardedJSON.contains(#""device":{"id":\#(first.deviceId),"attributes":{},"groupId":0,"#
            + #""calendarId":0,"name":"phone-1","uniqueId":"phone-1","status":"offline","lastUpdate":""#))
        #expect(try positions.rows(after: first.id, limit: 10).map(\.id) == [rows[1].id])
        #expect(try positions.rows(ids: [rows[1].id, 999_999]).map(\.id) == [rows[1].id])
        let lag = try positions.lag(after: first.id)
        #expect(lag.highestId == rows[1].id)
        #expect(lag.oldestWaiting == received)
    }

    @Test func theCursorIsStoredPerNodeAndTopicAndNeverMovesBack() throws {
        let harness = try WriterHarness()
        let positions = CommittedPositions(connection: try PostgresConnection(url: harness.url))
        #expect(try positions.loadCursor(node: "a", topic: "t") == 0)
        try positions.saveCursor(42, node: "a", topic: "t")
        try positions.saveCursor(40, node: "a", topic: "t")
        try positions.saveCursor(7, node: "b", topic: "t")
        #expect(try positions.loadCursor(node: "a", topic: "t") == 42)
        #expect(try positions.loadCursor(node: "b", topic: "t") == 7)
        #expect(try positions.loadCursor(node: "a", topic: "other") == 0)
    }
}
