import Foundation
import Testing
import TestSupport

/// `/metrics` as an operator reads it: counters that match what phones sent, and a page promtool accepts.
@Suite struct MetricsTests {
    /// Metrics the dashboard and alerts show that a plain `serve` does not have: the publisher's (only with
    /// `kafka.brokers`), the worker's (served by `itrack analytics`, checked in AnalyticsTests) and the
    /// archive's (only once an archive has run in the process).
    static let pending: Set<String> = [
        "itrack_kafka_delivered_total", "itrack_kafka_failed_total", "itrack_kafka_lag_positions",
        "itrack_kafka_lag_seconds", "itrack_analytics_consumer_lag_messages", "itrack_analytics_results_total",
        "itrack_archive_last_success_timestamp_seconds", "itrack_archive_rows_total", "itrack_archive_bytes_total",
        "itrack_archive_failures_total",
    ]

    @Test func countersMoveForStoredFilteredRejectedAndInvalidReports() throws {
        let url = try TestDatabase.create()
        let server = try ServerProcess(databaseURL: url,
                                       environment: ["ITRACK_DATABASE_REGISTERUNKNOWN_REGEX": "phone-[0-9]+"])
        let now = Int(Date().timeIntervalSince1970)
        let client = try RawHTTPClient(port: server.osmandPort)
        func get(_ query: String) throws -> Int {
            try client.exchange("GET /?\(query) HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")?.status ?? 0
        }
        for second in 0..<3 { #expect(try get("id=phone-1&lat=52.5&lon=13.4&timestamp=\(now - 60 + second)") == 200) }
        #expect(try get("id=phone-1&lat=52.5&lon=13.4&timestamp=\(now - 60)") == 200, "a retry is answered 200")
        #expect(try get("id=phone-1&lat=52.5&lon=13.4&timestamp=\(now + 3 * 86400)") == 200, "filtered, still 200")
        #expect(try get("id=stranger&lat=52.5&lon=13.4") == 400, "unknown device")
        #expect(try get("lat=52.5&lon=13.4") == 400, "no id")
        let garbage = try RawHTTPClient(port: server.osmandPort)
        #expect(try garbage.exchange("NOT HTTP AT ALL\r\n\r\n")?.status == 400)

        let scrape = try MetricsScrape(port: server.webPort)
        func positions(_ outcome: String, _ reason: String = "") -> Double {
            scrape[#"itrack_positions_total{protocol="osmand",outcome="\#(outcome)",reason="\#(reason)"}"#]
        }
        #expect(positions("stored") == 4)
        #expect(positions("filtered", "future") == 1)
        #expect(positions("rejected", "unknown_device") == 1)
        #expect(positions("invalid") == 1)
        #expect(scrape["itrack_positions_inserted_total"] == 3)
        #expect(scrape["itrack_positions_duplicate_total"] == 1)
        #expect(scrape[#"itrack_http_requests_total{protocol="osmand"}"#] == 7)
        #expect(scrape[#"itrack_http_errors_total{protocol="osmand",status="400"}"#] == 1)
        #expect(scrape[#"itrack_ack_latency_seconds_count{protocol="osmand"}"#] == 6, "every report the writer answered")
        #expect(scrape["itrack_batch_size_sum"] == 6)
        #expect(scrape["itrack_commit_latency_seconds_count"] == scrape["itrack_batch_size_count"])
        // `client` and `garbage` (the start-up probe asks the web port); only `client` is still open.
        #expect(scrape[#"itrack_connections_opened_total{protocol="osmand"}"#] == 2)
        // `garbage` is closed right after its answer is written, which the client may see first: wait for it.
        var open = scrape[#"itrack_connections_open{protocol="osmand"}"#]
        let settle = Date(timeIntervalSinceNow: 5)
        while open != 1 && Date() < settle {
            Thread.sleep(forTimeInterval: 0.05)
            open = try MetricsScrape(port: server.webPort)[#"itrack_connections_open{protocol="osmand"}"#]
        }
        #expect(open == 1)
        #expect(scrape[#"itrack_received_bytes_total{protocol="osmand"}"#] > 300)
        #expect(scrape["itrack_database_up"] == 1)
        #expect(scrape["itrack_writer_queue_depth"] == 0)
        #expect(scrape["process_resident_memory_bytes"] > 1_000_000)
        #expect(scrape["process_open_fds"] >= 5)
        #expect(scrape["process_start_time_seconds"] > Double(now - 120))
        #expect(scrape.samples.keys.contains { $0.hasPrefix("itrack_build_info{version=") })

        let (status, output) = try Command.run("/usr/bin/promtool", ["check", "metrics"], input: scrape.text)
        #expect(status == 0, "promtool check metrics: \(output)")
        try server.stop()
    }

    @Test func everyMetricTheDashboardAndAlertsUseIsServed() throws {
        let server = try ServerProcess(databaseURL: try TestDatabase.create())
        // Labelled series appear with their first event: one report and one bad request create them.
        let client = try RawHTTPClient(port: server.osmandPort)
        #expect(try client.exchange("GET /?id=phone-1&lat=1&lon=2 HTTP/1.1\r\nHost: x\r\n\r\n")?.status == 200)
        #expect(try client.exchange("BAD\r\n\r\n")?.status == 400)
        let served = try MetricsScrape(port: server.webPort).names
        var used: Set<String> = []
        for file in ["dashboards/itrack.json", "prometheus/alerts.yml"] {
            let text = try String(contentsOf: RepositoryPaths.root.appendingPathComponent(file), encoding: .utf8)
            for match in text.matches(of: #/\b(?:itrack|process)_[a-z_]+/#) {
                used.insert(String(match.output).replacing(#/_(bucket|sum|count)$/#, with: ""))
            }
        }
        let readme = try String(contentsOf: RepositoryPaths.root.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(served.filter { !readme.contains("`\($0)") }.isEmpty,
                "served but not in the README's metric table: \(served.filter { !readme.contains("`\($0)") }.sorted())")
        #expect(used.count > 15, "the dashboard should chart most metrics: \(used.sorted())")
        #expect(used.subtracting(served).subtracting(Self.pending).isEmpty,
                "used but not served: \(used.subtracting(served).subtracting(Self.pending).sorted())")
        try server.stop()
    }

    @Test func theMetricsPortServesMetricsAndNothingElse() throws {
        let metricsPort = FreePort.next()
        let server = try ServerProcess(databaseURL: try TestDatabase.create(),
                                       environment: ["ITRACK_METRICS_PORT": String(metricsPort)])
        #expect(try MetricsScrape(port: metricsPort)["itrack_database_up"] == 1)
        let client = try RawHTTPClient(port: metricsPort)
        #expect(try client.exchange("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")?.status == 404)
        #expect(try client.exchange("POST /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n")?.status
            == 405)
        try server.stop()
    }
}
