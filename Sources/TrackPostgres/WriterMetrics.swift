import Metrics

/// The writer's view of the database, for operators: failed commits and recoveries are what an
/// outage looks like from here. Created once per writer so the hot path only increments.
struct WriterMetrics: Sendable {
    let reconnects = Counter(label: "itrack_database_reconnects_total")
    let statementFailures = Counter(label: "itrack_database_commit_failures_total",
                                    dimensions: [("cause", "statement")])
    let connectionFailures = Counter(label: "itrack_database_commit_failures_total",
                                     dimensions: [("cause", "connection")])
}
