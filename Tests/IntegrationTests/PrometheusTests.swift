import Foundation
import Testing
import TestSupport

/// A real Prometheus scraping a real server: what an operator's setup sees.
@Suite(.serialized) struct PrometheusTests {
    @Test func prometheusScrapesTheServerAndCountsThePostedPositions() throws {
        let server = try ServerProcess(databaseURL: try TestDatabase.create())
        let prometheus = try PrometheusServer(targets: ["itrack": "127.0.0.1:\(server.webPort)"])
        let client = try RawHTTPClient(port: server.osmandPort)
        let start = Int(Date().timeIntervalSince1970) - 600
        for second in 0..<7 {
            let request = "GET /?id=walker-1&lat=48.85&lon=2.35&timestamp=\(start + second) HTTP/1.1\r\nHost: x\r\n\r\n"
            #expect(try client.exchange(request)?.status == 200)
        }
        #expect(prometheus.eventually(within: 30) { try prometheus.query(#"up{job="itrack"}"#).values.first == 1 },
                "target never up:\n\(prometheus.log)")
        #expect(prometheus.eventually(within: 30) {
            try prometheus.query(#"sum(itrack_positions_total{outcome="stored"})"#).values.first == 7
        })
        #expect(try prometheus.query("itrack_positions_inserted_total").values.first == 7)
        try server.stop()
    }

    @Test func theShippedConfigAndAlertRulesPassPromtool() throws {
        let directory = RepositoryPaths.root.appendingPathComponent("prometheus").path
        for arguments in [["check", "config", "\(directory)/prometheus.yml"],
                          ["check", "rules", "\(directory)/alerts.yml"],
                          ["test", "rules", "\(directory)/alerts.test.yml"]] {
            let (status, output) = try Command.run("/usr/bin/promtool", arguments)
            #expect(status == 0, "promtool \(arguments.joined(separator: " ")): \(output)")
        }
    }

    @Test func theDatabaseDownAlertFiresWhenPostgreSQLStops() throws {
        let cluster = try PrivateCluster(name: "alerts", port: 25443)
        defer { cluster.stop() }
        let server = try ServerProcess(databaseURL: try cluster.start(),
                                       environment: ["ITRACK_DATABASE_CHECKINTERVAL": "0.5"])
        let prometheus = try PrometheusServer(
            targets: ["itrack": "127.0.0.1:\(server.webPort)"],
            ruleFile: RepositoryPaths.root.appendingPathComponent("prometheus/alerts.yml"))
        let firing = #"ALERTS{alertname="ItrackDatabaseDown",alertstate="firing"}"#
        #expect(prometheus.eventually(within: 30) { try prometheus.query("itrack_database_up").values.first == 1 })
        #expect(try prometheus.query(firing).isEmpty)

        cluster.stop()
        let fired = prometheus.eventually(within: 30) { try prometheus.query(firing).count == 1 }
        #expect(fired, "alert never fired: \(String(describing: try? prometheus.api("alerts")))")
        let ready = try #require(try RawHTTPClient(port: server.webPort).exchange("GET /ready HTTP/1.1\r\nHost: x\r\n\r\n"))
        #expect(ready.status == 503)
        #expect(String(decoding: ready.body, as: UTF8.self).contains(#""database":"down""#))
        try server.stop()
    }
}
