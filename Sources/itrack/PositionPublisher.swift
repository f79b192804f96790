import Foundation
import Logging
import Metrics
import Synchronization
import TrackCore
import TrackKafka
import TrackNet
import TrackPostgres

/// Streams committed positions to Kafka, at least once and without gaps, and never in ingest's way.
///
/// It reads rows back from PostgreSQL after a cursor instead of taking them from the writers, so a broker
/// outage or a restart loses nothing: the cursor (persisted per node and topic) only moves past ids that
/// the broker acknowledged, and anything not acknowledged is read and sent again. The price is that a
/// message may be sent twice after a failure; consumers upsert, so that is harmless.
final class PositionPublisher: @unchecked Sendable {
    struct Settings {
        var databaseURL: String
        var brokers: String
        var topic: String
        var node: String
        var messageTimeout: Double
        /// Rows read per round; a round's messages are queued in librdkafka at once.
        var batchSize = 1000

        init(config: Config) {
            databaseURL = config[ConfigKeys.databaseURL]
            brokers = config[ConfigKeys.kafkaBrokers]
            topic = config[ConfigKeys.kafkaTopic]
            node = config.nodeName
            messageTimeout = max(1, config[ConfigKeys.kafkaMessageTimeout])
        }
    }

    /// What delivery reports change, shared with the producer's poll thread.
    private final class Deliveries: Sendable {
        let ledger = Mutex(PublishLedger(cursor: 0))
        let delivered = Counter(label: "itrack_kafka_delivered_total")
        let failed = Counter(label: "itrack_kafka_failed_total")
    }

    private let settings: Settings
    private let logger: Logger
    private let producer: KafkaProducer
    private let deliveries = Deliveries()
    private let lagPositions = Gauge(label: "itrack_kafka_lag_positions")
    private let lagSeconds = Gauge(label: "itrack_kafka_lag_seconds")
    private let signal = CommitSignal()
    private let finished = DispatchSemaphore(value: 0)
    private let logLimiter = LogLimiter()

    init(settings: Settings, logger: Logger) throws {
        self.settings = settings
        self.logger = logger
        let deliveries = deliveries
        producer = try KafkaProducer(
            brokers: settings.brokers,
            settings: ["message.timeout.ms": String(Int(settings.messageTimeout * 1000))], logger: logger
        ) { opaque, error, _, _ in
            let id = Int64(bitPattern: opaque)
            if error == nil {
                deliveries.delivered.increment()
                deliveries.ledger.withLock { $0.delivered(id) }
            } else {
                deliveries.failed.increment()
                deliveries.ledger.withLock { $0.failedDelivery(id) }
            }
        }
    }

    func start() {
        let thread = Thread { [self] in run() }
        thread.name = "itrack-publisher"
        thread.start()
    }

    /// Called after each commit so new rows are handled at once instead of at the next idle check.
    func notifyCommitted() { signal.notifyCommitted() }

    /// Sends what is committed, waits a few seconds for the broker's acknowledgements, saves the cursor.
    func stop() {
        signal.requestStop()
        finished.wait()
    }

    private func run() {
        var connection: PostgresConnection?
        var backoff = 0.1
        var lastCursorSave = Date.distantPast
        var savedCursor: Int64 = -1
        while !isStopping {
            do {
                let current: PostgresConnection
                if let connection { current = connection } else {
                    current = try PostgresConnection(url: settings.databaseURL, applicationName: "itrack-publisher")
                    let cursor = try CommittedPositions(connection: current).loadCursor(
                        node: settings.node, topic: settings.topic)
                    if savedCursor < 0 {
                        deliveries.ledger.withLock { $0 = PublishLedger(cursor: cursor) }
                        logger.info("publishing", metadata: ["topic": "\(settings.topic)", "node": "\(settings.node)",
                                                             "cursor": "\(cursor)"])
                    }
                    savedCursor = max(savedCursor, cursor)
                    connection = current
                    backoff = 0.1
                }
                let positions = CommittedPositions(connection: current)
                let sent = try sendRound(positions)
                if Date().timeIntervalSince(lastCursorSave) >= 1 {
                    savedCursor = try saveCursor(positions, saved: savedCursor)
                    lastCursorSave = Date()
                }
                if sent == 0 { signal.wait(seconds: 0.2) }
            } catch {
                if logLimiter.allow("publisher \(type(of: error))") {
                    logger.warning("publisher paused", metadata: ["error": "\(error)"])
                }
                connection = nil
                signal.wait(seconds: backoff)
                backoff = min(backoff * 2, 5)
            }
        }
        drain(connection)
        finished.signal()
    }

    /// Reads failed and missing ids again, then new rows, and queues them; returns how many were queued.
    private func sendRound(_ positions: CommittedPositions) throws -> Int {
        let (reread, after) = deliveries.ledger.withLock { ledger in
            ledger.expireHoles(now: Date())
            return (ledger.idsToReread(limit: settings.batchSize), ledger.highestRead)
        }
        let rows = try positions.rows(ids: reread) + positions.rows(after: after, limit: settings.batchSize)
        // In flight before queueing: a delivery report can arrive before `produce` even returns.
        deliveries.ledger.withLock { $0.sending(rows.map(\.id), now: Date()) }
        var devices: [Int: String] = [:]
        for (index, row) in rows.enumerated() {
            let deviceJSON = devices[row.deviceId] ?? row.device.traccarJSON
            devices[row.deviceId] = deviceJSON
            if produce(row, message: row.forwardedJSON(deviceJSON: deviceJSON)) { continue }
            deliveries.ledger.withLock { ledger in
                for unsent in rows[index...] { ledger.failedDelivery(unsent.id) }
            }
            return index
        }
        return rows.count
    }

    /// Queues one row; false when librdkafka's queue stays full (the broker is away) or a stop is asked for.
    private func produce(_ row: StoredPosition, message: String) -> Bool {
        for _ in 0..<50 {
            do {
                try producer.produce(topic: settings.topic, key: Array(row.device.uniqueId.utf8),
                                     value: Array(message.utf8), opaque: UInt64(bitPattern: row.id))
                return true
            } catch where error.isQueueFull {
                if isStopping { return false }
                Thread.sleep(forTimeInterval: 0.01)
            } catch {
                if logLimiter.allow("produce \(error.code)") {
                    logger.error("position not accepted by Kafka", metadata: ["id": "\(row.id)", "error": "\(error)"])
                }
                deliveries.failed.increment()
                return false
            }
        }
        return false
    }

    /// Persists the cursor when it moved, and refreshes the lag gauges.
    private func saveCursor(_ positions: CommittedPositions, saved: Int64) throws -> Int64 {
        let cursor = deliveries.ledger.withLock { $0.cursor }
        if cursor > saved { try positions.saveCursor(cursor, node: settings.node, topic: settings.topic) }
        let lag = try positions.lag(after: cursor)
        lagPositions.record(max(0, lag.highestId - cursor))
        lagSeconds.record(lag.oldestWaiting.map { max(0, Date().timeIntervalSince($0)) } ?? 0)
        return max(cursor, saved)
    }

    /// At stop: one last round, a few seconds for acknowledgements, and the cursor saved.
    private func drain(_ connection: PostgresConnection?) {
        guard let connection else { return }
        let positions = CommittedPositions(connection: connection)
        do {
            _ = try sendRound(positions)
            try? producer.flush(timeout: .seconds(5))
            _ = try saveCursor(positions, saved: -1)
        } catch {
            logger.warning("publisher could not finish cleanly; the next start resends from the cursor",
                           metadata: ["error": "\(error)"])
        }
    }

    private var isStopping: Bool { signal.isStopping }
}
