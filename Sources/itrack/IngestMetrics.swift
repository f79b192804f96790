import Metrics
import TrackCore
import TrackPostgres

/// Ingest counters and histograms, created once; label values come from small fixed sets.
struct IngestMetrics: Sendable {
    private let protocolName: String
    let ackLatency: Timer
    let batchSize: Recorder
    let commitLatency: Timer
    let positionsInserted: Counter
    let positionsDuplicate: Counter
    private let outcomeCounters = OutcomeCounters()
    /// Nearly every request ends stored: its counter is at hand, with no key to build and no lock to take.
    let stored: Counter

    init(protocolName: String) {
        self.protocolName = protocolName
        ackLatency = Timer(label: "itrack_ack_latency_seconds", dimensions: [("protocol", protocolName)],
                           preferredDisplayUnit: .seconds)
        batchSize = Recorder(label: "itrack_batch_size", aggregate: true)
        commitLatency = Timer(label: "itrack_commit_latency_seconds", preferredDisplayUnit: .seconds)
        positionsInserted = Counter(label: "itrack_positions_inserted_total")
        positionsDuplicate = Counter(label: "itrack_positions_duplicate_total")
        stored = outcomeCounters.counter(protocolName: protocolName, outcome: "stored", reason: "")
    }

    /// Counts one request by what became of it (`stored`, `filtered`, `invalid`, …).
    func count(outcome: String, reason: String = "") {
        outcomeCounters.count(protocolName: protocolName, outcome: outcome, reason: reason)
    }

    func record(_ stats: BatchStats) {
        batchSize.record(stats.reports)
        commitLatency.recordSeconds(stats.seconds)
        positionsInserted.increment(by: Int64(stats.inserted))
        positionsDuplicate.increment(by: Int64(stats.duplicates))
    }
}
