import Foundation
import Testing
import TestSupport
import TrackPostgres

/// Stays, trips, daily totals, density and events from positions posted on the OsmAnd port: in-process without
/// Kafka, and by `itrack analytics` workers with it.
@Suite(.serialized) struct AnalyticsTests {
    /// A migrated database with the walk's geofence.
    func database() throws -> String {
        let url = try TestDatabase.createMigrated()
        _ = try TestDatabase.rows(url, "INSERT INTO tc_geofences (name, area) VALUES ('square', $1) RETURNING id",
                                  [PedestrianWalk.geofence])
        return url
    }

    /// Everything the analytics wrote, without generated ids.
    func results(_ url: String) throws -> [[[String?]]] {
        try ["SELECT * FROM it_stays ORDER BY 1, 2", "SELECT * FROM it_trips ORDER BY 1, 2",
             "SELECT * FROM it_daily ORDER BY 1, 2", "SELECT * FROM it_density_visits ORDER BY 1, 2, 3, 4",
             "SELECT type, eventtime, deviceid, positionid, geofenceid FROM tc_events ORDER BY 3, 2, 1"]
            .map { try TestDatabase.rows(url, $0) }
    }

    /// Waits until every device's walk is analysed (its geofence exit and its last stay are stored) and the
    /// results stopped changing; returns them.
    func settledResults(_ url: String, devices: Int) throws -> [[[String?]]] {
        let deadline = Date(timeIntervalSinceNow: 90)
        var last: [[[String?]]] = []
        while Date() < deadline {
            let now = try results(url)
            let exits = try TestDatabase.count(url, "SELECT count(*) FROM tc_events WHERE type = 'geofenceExit'")
            let open = try TestDatabase.count(url, "SELECT count(*) FROM it_stays WHERE open")
            if exits == devices && open == devices && now == last { return now }
            last = now
            Thread.sleep(forTimeInterval: 1)
        }
        throw ServerError(message: "analytics did not settle: \(last.map(\.count))")
    }

    /// The known answers of `PedestrianWalk`, device by device.
    func expectWalkResults(_ url: String, devices: Int) throws {
        let stays = try TestDatabase.rows(url, """
            SELECT count(*), count(*) FILTER (WHERE open), min(fixes), max(fixes) FROM it_stays GROUP BY deviceid
            """)
        #expect(stays.count == devices)
        #expect(Set(stays) == [["2", "1", "34", "38"]], "30 and 24 fixes in place, and the walk's fixes within 100 m")
        let trips = try TestDatabase.rows(url, """
            SELECT starttime, endtime, round(distance / 10) * 10, walking, open FROM it_trips
            """)
        #expect(trips.count == devices)
        #expect(Set(trips) == [["2026-11-18 11:18:00", "2026-11-18 11:31:10", "990", "t", "f"]])
        let events = try TestDatabase.rows(url, "SELECT type, count(*) FROM tc_events GROUP BY type ORDER BY type")
        let each = String(devices)
        #expect(events == [["geofenceEnter", each], ["geofenceExit", each], ["stayEnd", each],
                           ["stayStart", String(devices * 2)]], "each event once")
        #expect(try TestDatabase.rows(url, """
            SELECT devices FROM it_density WHERE minute = '2026-11-18 11:06:00'
            """) == [[each]], "every device starts in one cell")
        #expect(try TestDatabase.count(url, """
            SELECT count(*) FROM it_daily d JOIN it_trips t USING (deviceid)
            WHERE d.day = '2026-11-18' AND abs(d.walkingdistance - t.distance) < 0.01 AND d.activetime = 790
            """) == devices, "the day's walking is the trip, its active time the trip's 13 min 10 s")
    }

    @Test func serveWithoutKafkaRunsTheAnalyticsInProcess() throws {
        let url = try database()
        let server = try ServerProcess(databaseURL: url, environment: ["ITRACK_KAFKA_BROKERS": ""])
        try PedestrianWalk.post(port: server.osmandPort, uniqueIds: (0..<3).map { "walker-\($0)" })
        _ = try settledResults(url, devices: 3)
        try expectWalkResults(url, devices: 3)
        try server.stop()
        #expect(try TestDatabase.count(url, """
            SELECT position_id FROM it_publish_cursors WHERE topic = 'analytics'
            """) == (try TestDatabase.count(url, "SELECT max(id) FROM tc_positions")))
    }
}

extension AnalyticsTests {
    /// `serve` publishing to a fresh topic, with walks posted; returns the server and the topic.
    func publishedWalks(_ url: String, devices: Int) throws -> (server: ServerProcess, topic: String) {
        let topic = KafkaBroker.uniqueTopic("analytics")
        let server = try ServerProcess(databaseURL: url, environment: [
            "ITRACK_KAFKA_BROKERS": try KafkaBroker.brokers(), "ITRACK_KAFKA_TOPIC": topic,
        ])
        try PedestrianWalk.post(port: server.osmandPort, uniqueIds: (0..<devices).map { "walker-\($0)" })
        return (server, topic)
    }

    func worker(_ url: String, topic: String, group: String) throws -> ServerProcess {
        try ServerProcess(databaseURL: url, command: "analytics", environment: [
            "ITRACK_KAFKA_BROKERS": try KafkaBroker.brokers(), "ITRACK_KAFKA_TOPIC": topic,
            "ITRACK_KAFKA_EVENTSTOPIC": topic + ".events", "ITRACK_ANALYTICS_GROUP": group,
        ])
    }

    func clearResults(_ url: String) throws {
        _ = try TestDatabase.rows(url, """
            TRUNCATE it_stays, it_trips, it_daily, it_density_visits, tc_events
            """)
    }

    @Test func twoWorkersSplitThePartitionsAndTogetherMatchOne() throws {
        let url = try database()
        let (server, topic) = try publishedWalks(url, devices: 8)
        let group = KafkaBroker.uniqueGroup("pair")
        let pair = try [worker(url, topic: topic, group: group), worker(url, topic: topic, group: group)]
        let together = try settledResults(url, devices: 8)
        try expectWalkResults(url, devices: 8)
        for member in pair {
            #expect(member.log.contains("kafka group assigned: \(topic)["), "each worker got partitions:\n\(member.log)")
            #expect(try MetricsScrape(port: member.webPort)[#"itrack_analytics_positions_total{outcome="processed"}"#] > 0)
            try member.stop()
        }

        // The events topic, read back with kcat: every new event once, keyed by the walker's unique id.
        let (status, output) = try Command.run("/usr/bin/kcat", [
            "-C", "-b", try KafkaBroker.brokers(), "-t", topic + ".events", "-o", "beginning", "-e", "-q",
            "-f", "%k %s\n",
        ])
        let lines = output.split(separator: "\n")
        #expect(status == 0 && lines.count == 8 * 5, "\(output)")
        #expect(lines.allSatisfy { $0.hasPrefix("walker-") && $0.contains(#" {"event":{"id":"#) })
        #expect(lines.filter { $0.contains(#""type":"geofenceExit""#) }.count == 8)

        try clearResults(url)
        let single = try worker(url, topic: topic, group: KafkaBroker.uniqueGroup("single"))
        #expect(try settledResults(url, devices: 8) == together)
        let scrape = try MetricsScrape(port: single.webPort)
        #expect(scrape[#"itrack_analytics_positions_total{outcome="processed"}"#] == Double(8 * PedestrianWalk.fixes.count))
        #expect(scrape[#"itrack_analytics_results_total{kind="event"}"#] == 8 * 5)
        #expect(scrape["itrack_analytics_consumer_lag_messages"] == 0)
        let promtool = try Command.run("/usr/bin/promtool", ["check", "metrics"], input: scrape.text)
        #expect(promtool.0 == 0, "promtool check metrics on the worker: \(promtool.1)")
        try single.stop()
        try server.stop()
    }

    @Test func theSurvivorTakesOverAKilledWorkersPartitions() throws {
        let url = try database()
        let topic = KafkaBroker.uniqueTopic("takeover")
        let group = KafkaBroker.uniqueGroup("takeover")
        let server = try ServerProcess(databaseURL: url, environment: [
            "ITRACK_KAFKA_BROKERS": try KafkaBroker.brokers(), "ITRACK_KAFKA_TOPIC": topic,
        ])
        let survivor = try worker(url, topic: topic, group: group)
        let victim = try worker(url, topic: topic, group: group)
        try PedestrianWalk.post(port: server.osmandPort, uniqueIds: (0..<6).map { "walker-\($0)" })
        let deadline = Date(timeIntervalSinceNow: 30)
        while !victim.log.contains("kafka group assigned: \(topic)[") && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.2)
        }
        func assignments() -> Int { survivor.log.components(separatedBy: "kafka group assigned").count - 1 }
        let before = assignments()
        try victim.stop(signal: SIGKILL)
        // The broker notices the death only after session.timeout.ms (6 s) and then rebalances: wait for that,
        // since the victim may have finished its share before the kill and the results settle earlier.
        let takeover = Date(timeIntervalSinceNow: 30)
        while assignments() == before && Date() < takeover {
            Thread.sleep(forTimeInterval: 0.2)
        }
        _ = try settledResults(url, devices: 6)
        try expectWalkResults(url, devices: 6)
        #expect(assignments() > before, "the survivor was assigned partitions again after the kill:\n\(survivor.log)")
        try survivor.stop()
        try server.stop()
    }
}
