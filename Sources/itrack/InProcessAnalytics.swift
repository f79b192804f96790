import Foundation
import Logging
import TrackAnalytics
import TrackCore
import TrackNet
import TrackPostgres

/// The analytics inside `itrack serve` when no Kafka is configured, so the embedded default still produces
/// stays, trips, daily totals, density and events.
///
/// It follows `tc_positions` by id as the Kafka publisher does, with the same ledger, so a position whose
/// transaction commits after a higher id's is not skipped; its cursor is kept in `it_publish_cursors` under
/// the topic name `analytics`, so a restart continues where it stopped.
final class InProcessAnalytics: @unchecked Sendable {
    static let cursorTopic = "analytics"

    private let pipeline: AnalyticsPipeline
    private let writer: AnalyticsWriter
    private let writeRetry: DatabaseRetry
    private let databaseURL: String
    private let node: String
    private let batchSize: Int
    /// Under a steady load a round every commit rewrote each device's open stay, trip and day for every few of
    /// its positions, and fell behind; a round at most this often writes them once for all it takes.
    private let roundInterval: Double
    private let logger: Logger
    private let signal = CommitSignal()
    private let finished = DispatchSemaphore(value: 0)

    init(config: Config, logger: Logger) throws {
        databaseURL = try config.requireDatabaseURL()
        node = config.nodeName
        batchSize = max(1, config[ConfigKeys.analyticsBatchSize])
        roundInterval = max(0, config[ConfigKeys.analyticsInterval])
        self.logger = logger
        pipeline = AnalyticsPipeline(settings: AnalyticsPipeline.Settings(config: config), databaseURL: databaseURL,
                                     logger: logger)
        writer = AnalyticsWriter(databaseURL: databaseURL)
        writeRetry = DatabaseRetry(logger: logger, what: "committing analytics results")
    }

    func start() {
        let thread = Thread { [self] in
            run()
            finished.signal()
        }
        thread.name = "itrack-analytics"
        thread.start()
    }

    /// Called after each commit so new rows are handled at once instead of at the next idle check.
    func notifyCommitted() { signal.notifyCommitted() }

    /// Finishes the round in hand and returns; what is left is analysed after the next start.
    func stop() {
        signal.requestStop()
        finished.wait()
    }

    private func run() {
        var positions: CommittedPositions?
        var ledger: PublishLedger?
        var backoff = 0.1
        let logLimiter = LogLimiter()
        while !isStopping {
            do throws(PostgresError) {
                let current: CommittedPositions
                if let positions { current = positions } else {
                    current = CommittedPositions(connection: try PostgresConnection(
                        url: databaseURL, applicationName: "itrack-analytics-cursor"))
                    positions = current
                }
                var state: PublishLedger
                if let ledger { state = ledger } else {
                    state = PublishLedger(cursor: try current.loadCursor(node: node, topic: Self.cursorTopic))
                }
                let started = Date()
                let analysed = try round(current, ledger: &state)
                ledger = state
                backoff = 0.1
                if analysed == 0 {
                    signal.wait(seconds: 1)
                } else if analysed < batchSize {
                    signal.pause(seconds: roundInterval - Date().timeIntervalSince(started))
                }
            } catch {
                if logLimiter.allow("analytics \(error.code)") {
                    logger.warning("analytics paused", metadata: ["error": "\(error)"])
                }
                if error.code == .connection { positions = nil }
                signal.wait(seconds: backoff)
                backoff = min(backoff * 2, 5)
            }
        }
    }

    /// Analyses the rows after the ledger's highest read and the ones to read again; returns how many.
    private func round(_ positions: CommittedPositions, ledger: inout PublishLedger) throws(PostgresError) -> Int {
        let now = Date()
        ledger.expireHoles(now: now)
        let rows = try positions.rows(ids: ledger.idsToReread(limit: batchSize))
            + positions.rows(after: ledger.highestRead, limit: batchSize)
        guard !rows.isEmpty else { return 0 }
        ledger.sending(rows.map(\.id), now: now)
        let fixes = rows.map { row in
            Fix(deviceId: row.deviceId, positionId: row.id, fixTime: row.fixTime, latitude: row.latitude,
                longitude: row.longitude, speed: row.speed, accuracy: row.accuracy)
        }
        let results: AnalyticsResults
        do {
            results = try pipeline.analyse(fixes)
        } catch {
            for row in rows { ledger.failedDelivery(row.id) }
            throw error
        }
        // The engine has taken the rows in: their results must be committed, however long that takes.
        guard writeRetry.run(isStopping: { isStopping }, { () throws(PostgresError) in
            _ = try writer.write(results, fixes: fixes.count)
        }) != nil else { return 0 }
        for row in rows { ledger.delivered(row.id) }
        try positions.saveCursor(ledger.cursor, node: node, topic: Self.cursorTopic)
        return rows.count
    }

    private var isStopping: Bool { signal.isStopping }
}
