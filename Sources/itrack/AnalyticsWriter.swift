import Dispatch
import Foundation
import Metrics
import TrackAnalytics
import TrackCore
import TrackPostgres

/// Commits what the analytics derived, on a connection of its own so that a worker can analyse the next
/// batch while this one commits, and counts what was written.
final class AnalyticsWriter {
    private let databaseURL: String
    private var connection: PostgresConnection?
    private let commitTime = Timer(label: "itrack_analytics_batch_seconds")

    init(databaseURL: String) {
        self.databaseURL = databaseURL
    }

    /// Writes `results` (of `fixes` positions read) in one transaction and returns the events that were new.
    func write(_ results: AnalyticsResults, fixes: Int) throws(PostgresError) -> [StoredEvent] {
        let started = DispatchTime.now()
        do {
            let current: PostgresConnection
            if let connection { current = connection } else {
                current = try PostgresConnection(url: databaseURL, applicationName: "itrack-analytics-writer")
                connection = current
            }
            let events = try AnalyticsStore(connection: current).write(results)
            count(results, fixes: fixes, newEvents: events.count)
            commitTime.recordInterval(since: started)
            return events
        } catch {
            if error.code == .connection { connection = nil }
            throw error
        }
    }

    private func count(_ results: AnalyticsResults, fixes: Int, newEvents: Int) {
        let outcomes = [("duplicate", results.duplicates), ("too_old", results.tooOld),
                        ("processed", max(0, fixes - results.duplicates - results.tooOld))]
        for (outcome, positions) in outcomes where positions > 0 {
            Counter(label: "itrack_analytics_positions_total", dimensions: [("outcome", outcome)])
                .increment(by: positions)
        }
        let written = [
            ("stay", results.devices.reduce(0) { $0 + $1.stays.count }),
            ("trip", results.devices.reduce(0) { $0 + $1.trips.count }),
            ("day", results.devices.reduce(0) { $0 + $1.days.count }), ("visit", results.visits.count),
            ("event", newEvents),
        ]
        for (kind, rows) in written where rows > 0 {
            Counter(label: "itrack_analytics_results_total", dimensions: [("kind", kind)]).increment(by: rows)
        }
    }
}
