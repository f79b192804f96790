/// Every metric itrack exposes, with its help text and histogram buckets: the one list that
/// `/metrics`, the README and the dashboard are checked against.
enum MetricCatalog {
    struct Entry: Sendable {
        let name: String
        let help: String
        var durationBuckets: [Duration] = []
        var valueBuckets: [Double] = []
    }

    /// Ack and commit latencies of a durable writer sit between a millisecond and a few seconds.
    private static let latencyBuckets: [Duration] = [
        .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10),
        .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500),
        .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10),
    ]

    static let entries: [Entry] = [
        Entry(name: "itrack_positions_total",
              help: "Position reports by protocol and what became of them (outcome, reason)."),
        Entry(name: "itrack_http_requests_total", help: "HTTP requests parsed, by port protocol."),
        Entry(name: "itrack_http_errors_total",
              help: "Requests answered with an error before reaching a handler (bad syntax, too large, too slow)."),
        Entry(name: "itrack_ack_latency_seconds", help: "Time from receiving a report to answering it.",
              durationBuckets: latencyBuckets),
        Entry(name: "itrack_batch_size", help: "Reports per committed batch.",
              valueBuckets: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000]),
        Entry(name: "itrack_commit_latency_seconds", help: "Time to write and commit one batch.",
              durationBuckets: latencyBuckets),
        Entry(name: "itrack_positions_inserted_total", help: "Rows added to tc_positions."),
        Entry(name: "itrack_positions_duplicate_total",
              help: "Reports already stored (a phone's retry), answered 200 without a new row."),
        Entry(name: "itrack_writer_queue_depth", help: "Reports waiting for their batch to commit."),
        Entry(name: "itrack_writer_oldest_wait_seconds", help: "How long the oldest queued report has waited."),
        Entry(name: "itrack_connections_open", help: "Open client connections by port protocol."),
        Entry(name: "itrack_connections_opened_total", help: "Client connections accepted."),
        Entry(name: "itrack_connections_refused_total",
              help: "Connections closed at once because the port had server.maxConnections open."),
        Entry(name: "itrack_received_bytes_total", help: "Bytes read from clients."),
        Entry(name: "itrack_sent_bytes_total", help: "Bytes written to clients."),
        Entry(name: "itrack_database_up", help: "1 while every writer has a working database connection."),
        Entry(name: "itrack_database_reconnects_total", help: "Database connections re-established after a loss."),
        Entry(name: "itrack_database_commit_failures_total",
              help: "Batches whose transaction failed, by cause (statement: retried one by one; connection)."),
        Entry(name: "itrack_kafka_delivered_total", help: "Positions the Kafka broker acknowledged."),
        Entry(name: "itrack_kafka_failed_total",
              help: "Kafka deliveries that failed (broker away past kafka.messageTimeout); they are sent again."),
        Entry(name: "itrack_kafka_lag_positions", help: "Committed positions after the publish cursor."),
        Entry(name: "itrack_kafka_lag_seconds", help: "Age of the oldest committed position not yet acknowledged by Kafka."),
        Entry(name: "itrack_analytics_positions_total",
              help: "Positions the analytics read, by outcome (processed, duplicate, too_old, malformed)."),
        Entry(name: "itrack_analytics_results_total",
              help: "Rows the analytics wrote, by kind (stay, trip, day, visit, event); rewrites count again."),
        Entry(name: "itrack_analytics_devices", help: "Devices whose recent fixes the analytics hold in memory."),
        Entry(name: "itrack_analytics_consumer_lag_messages",
              help: "Messages on the positions topic not yet processed by this worker's partitions."),
        Entry(name: "itrack_analytics_batch_seconds", help: "Time to process and commit one batch of positions.",
              durationBuckets: latencyBuckets),
        Entry(name: "itrack_archive_last_success_timestamp_seconds",
              help: "When a day was last archived successfully (Unix time), by kind."),
        Entry(name: "itrack_archive_rows_total", help: "Rows written to the archive."),
        Entry(name: "itrack_archive_bytes_total", help: "Compressed bytes written to the archive."),
        Entry(name: "itrack_archive_failures_total", help: "Days whose archive run failed (retried at the next run)."),
        Entry(name: "process_resident_memory_bytes", help: "Resident memory size in bytes."),
        Entry(name: "process_virtual_memory_bytes", help: "Virtual memory size in bytes."),
        Entry(name: "process_cpu_seconds_total", help: "User and system CPU time spent in seconds."),
        Entry(name: "process_open_fds", help: "Number of open file descriptors."),
        Entry(name: "process_max_fds", help: "Maximum number of open file descriptors."),
        Entry(name: "process_start_time_seconds", help: "Start time of the process since the Unix epoch in seconds."),
        Entry(name: "itrack_uptime_seconds", help: "Seconds since the server started."),
        Entry(name: "itrack_build_info", help: "Always 1; the labels name the running version."),
    ]

    static func entry(_ name: String) -> Entry? { index[name] }

    private static let index = Dictionary(uniqueKeysWithValues: entries.map { ($0.name, $0) })
}
