import Foundation
import Testing
import TestSupport
import TrackAnalytics
import TrackCore
import TrackPostgres

@Suite struct AnalyticsStoreTests {
    static let start = Date(timeIntervalSince1970: 1_795_000_000)  // 2026-11-18 11:06:40 UTC

    /// A fresh schema with two devices; returns the URL and the devices' ids.
    func database() throws -> (url: String, devices: [Int]) {
        let url = try TestDatabase.createMigrated()
        return (url, try TestDatabase.devices(url, [("a", "a"), ("b", "b")]))
    }

    /// Stored positions, so `recentFixes` has rows and ids are real.
    func insert(_ url: String, device: Int, seconds: [Double], north: Double = 0) throws -> [Fix] {
        try seconds.map { second in
            let time = PostgresText.timestamp(Self.start + second)
            let latitude = 48.8566 + north / 111_320
            let id = try TestDatabase.rows(url, """
                INSERT INTO tc_positions (deviceid, protocol, devicetime, fixtime, valid, latitude, longitude, altitude,
                    speed, course) VALUES ($1, 'osmand', $2, $2, true, $3, 2.3522, 0, 0, 0) RETURNING id
                """, [String(device), time, String(latitude)])[0][0].flatMap { Int64($0) } ?? 0
            return Fix(deviceId: device, positionId: id, fixTime: Self.start + second, latitude: latitude,
                       longitude: 2.3522)
        }
    }

    func snapshot(_ url: String) throws -> [[[String?]]] {
        try ["SELECT * FROM it_stays ORDER BY 1, 2", "SELECT * FROM it_trips ORDER BY 1, 2",
             "SELECT * FROM it_daily ORDER BY 1, 2", "SELECT * FROM it_density ORDER BY 1, 2, 3",
             "SELECT type, eventtime, deviceid, positionid, geofenceid FROM tc_events ORDER BY 1, 2, 3"]
            .map { try TestDatabase.rows(url, $0) }
    }

    @Test func writingTheSameResultsTwiceChangesNothingAndReturnsNewEventsOnce() throws {
        let (url, devices) = try database()
        // 10 minutes in one place, then 1 km north in 10 minutes: one closed stay (with the first step, still
        // within 100 m) and an open trip.
        let staying = try insert(url, device: devices[0], seconds: stride(from: 0.0, through: 600, by: 30).map { $0 })
        let walking = try (1...10).flatMap { step in
            try insert(url, device: devices[0], seconds: [600 + Double(step) * 60], north: Double(step) * 100)
        }
        let other = try insert(url, device: devices[1], seconds: [10, 20])
        var engine = AnalyticsEngine()
        let results = engine.process(staying + walking + other, geofences: [])
        let store = AnalyticsStore(connection: try PostgresConnection(url: url))

        let first = try store.write(results)
        #expect(first.map(\.type).sorted() == ["stayEnd", "stayStart"])
        #expect(first.allSatisfy { $0.deviceId == devices[0] && $0.id > 0 })
        let once = try snapshot(url)
        #expect(try store.write(results).isEmpty, "events already stored are not new")
        #expect(try snapshot(url) == once)

        let stay = try TestDatabase.rows(url, "SELECT deviceid, starttime, endtime, duration, fixes, open FROM it_stays")
        #expect(stay == [[String(devices[0]), "2026-11-18 11:06:40", "2026-11-18 11:17:40", "660", "22", "f"]])
        let trip = try TestDatabase.rows(url, """
            SELECT starttime, endtime, round(distance), fixes, walking, open FROM it_trips WHERE deviceid = $1
            """, [String(devices[0])])
        #expect(trip == [["2026-11-18 11:17:40", "2026-11-18 11:26:40", "899", "10", "t", "t"]])
        #expect(try TestDatabase.count(url, "SELECT count(*) FROM it_daily") == 2)
        let density = try TestDatabase.rows(url, """
            SELECT devices FROM it_density WHERE minute = '2026-11-18 11:06:00' ORDER BY cellrow, cellcolumn
            """)
        #expect(density == [["2"]], "both devices were in one cell in the first minute")
    }

    @Test func aLaterWriteReplacesADevicesRowsFromItsSince() throws {
        let (url, devices) = try database()
        let store = AnalyticsStore(connection: try PostgresConnection(url: url))
        let stay = try insert(url, device: devices[0], seconds: stride(from: 100.0, through: 700, by: 60).map { $0 })
        let late = try insert(url, device: devices[0], seconds: [50])
        var engine = AnalyticsEngine()
        _ = try store.write(engine.process(stay, geofences: []))
        #expect(try TestDatabase.rows(url, "SELECT starttime, fixes FROM it_stays") == [["2026-11-18 11:08:20", "11"]])
        // The late fix moves the stay's start, which is part of its key: the old row must go.
        _ = try store.write(engine.process(late, geofences: []))
        #expect(try TestDatabase.rows(url, "SELECT starttime, fixes FROM it_stays") == [["2026-11-18 11:07:30", "12"]])
        #expect(try TestDatabase.rows(url, "SELECT eventtime FROM tc_events WHERE type = 'stayStart'")
                == [["2026-11-18 11:08:20"]], "a stay is announced once, as it was first seen")
    }

    @Test func resultsOfADeviceDeletedMeanwhileAreLeftOut() throws {
        let (url, devices) = try database()
        let kept = try insert(url, device: devices[0], seconds: stride(from: 0.0, through: 600, by: 60).map { $0 })
        let gone = try insert(url, device: devices[1], seconds: stride(from: 0.0, through: 600, by: 60).map { $0 })
        var engine = AnalyticsEngine()
        let results = engine.process(kept + gone, geofences: [])
        _ = try TestDatabase.rows(url, "DELETE FROM tc_devices WHERE id = $1 RETURNING id", [String(devices[1])])
        let events = try AnalyticsStore(connection: try PostgresConnection(url: url)).write(results)
        #expect(events.map(\.deviceId) == [devices[0]])
        // Ten minutes in one place: a stay and no trip.
        for table in ["it_stays", "it_daily", "it_density_visits", "tc_events"] {
            #expect(try TestDatabase.rows(url, "SELECT DISTINCT deviceid FROM \(table)") == [[String(devices[0])]],
                    "\(table)")
        }
    }

    @Test func recentFixesAndGeofencesAreReadBack() throws {
        let (url, devices) = try database()
        let fixes = try insert(url, device: devices[0], seconds: [0, 60, 120])
        _ = try insert(url, device: devices[1], seconds: [60])
        let store = AnalyticsStore(connection: try PostgresConnection(url: url))
        #expect(try store.recentFixes(below: [devices[0]: fixes[2].positionId], since: Self.start + 30) == [fixes[1]])
        #expect(try store.recentFixes(below: [devices[0]: .max], since: Self.start) == fixes)
        #expect(try store.recentFixes(below: [:], since: Self.start).isEmpty)

        _ = try TestDatabase.rows(url, """
            INSERT INTO tc_geofences (name, area) VALUES ('home', 'CIRCLE (48.8566 2.3522, 100)'),
                ('broken', 'CIRCLE (48.8566 2.3522)'), ('linked', 'POLYGON ((1 1, 1 2, 2 2))') RETURNING id
            """)
        _ = try TestDatabase.rows(url, """
            INSERT INTO tc_device_geofence (deviceid, geofenceid) SELECT $1, id FROM tc_geofences WHERE name = 'linked'
            RETURNING deviceid
            """, [String(devices[1])])
        let geofences = try store.geofences()
        #expect(geofences.valid.map(\.name) == ["home", "linked"])
        #expect(geofences.valid[0].deviceIds == nil && geofences.valid[1].deviceIds == [devices[1]])
        #expect(geofences.valid[0].area == .circle(latitude: 48.8566, longitude: 2.3522, radius: 100))
        #expect(geofences.invalid.count == 1 && !geofences.invalid[0].reason.isEmpty)
    }
}
