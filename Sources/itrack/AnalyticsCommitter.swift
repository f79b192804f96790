import Foundation
import Logging
import TrackAnalytics
import TrackKafka
import TrackNet
import TrackPostgres

/// The analytics worker's second thread: commits one batch's results, publishes its new events and commits
/// its offsets, in that order, while the worker reads and analyses the next batch.
///
/// Batches are committed one at a time in the order submitted, and `submit` waits while one is already
/// queued, so at most two batches are in hand. A failed write is retried until it succeeds: the engine has
/// moved on and will not derive those results again. If the process dies instead, the uncommitted offsets
/// replay the batches into a fresh engine.
final class AnalyticsCommitter: @unchecked Sendable {
    // @unchecked: `queued` and `closing` are guarded by `condition`; the rest is used by the thread only.
    struct Batch {
        let results: AnalyticsResults
        let positions: Int
        /// Unique id per device id, the events' key.
        let uniqueIds: [Int: String]
        let offsets: [KafkaOffset]
    }

    private let writer: AnalyticsWriter
    private let events: EventPublisher
    private let consumer: KafkaConsumer
    private let logger: Logger
    private let isStopping: @Sendable () -> Bool
    private let retry: DatabaseRetry
    private let logLimiter = LogLimiter()
    private let condition = NSCondition()
    private var queued: Batch?
    private var closing = false
    private let finished = DispatchSemaphore(value: 0)

    init(writer: AnalyticsWriter, events: EventPublisher, consumer: KafkaConsumer, logger: Logger,
         isStopping: @escaping @Sendable () -> Bool) {
        self.writer = writer
        self.events = events
        self.consumer = consumer
        self.logger = logger
        self.isStopping = isStopping
        retry = DatabaseRetry(logger: logger, what: "committing analytics results")
    }

    func start() {
        let thread = Thread { [self] in
            while let batch = next() {
                commit(batch)
            }
            finished.signal()
        }
        thread.name = "itrack-analytics-commit"
        thread.start()
    }

    /// Queues `batch`, waiting while another one is queued.
    func submit(_ batch: Batch) {
        condition.lock()
        while queued != nil { condition.wait() }
        queued = batch
        condition.broadcast()
        condition.unlock()
    }

    /// Commits what is queued (unless stopping) and ends the thread.
    func finish() {
        condition.lock()
        closing = true
        condition.broadcast()
        condition.unlock()
        finished.wait()
    }

    private func next() -> Batch? {
        condition.lock()
        defer { condition.unlock() }
        while queued == nil && !closing { condition.wait() }
        guard let batch = queued else { return nil }
        queued = nil
        condition.broadcast()
        return batch
    }

    private func commit(_ batch: Batch) {
        guard let stored = retry.run(isStopping: isStopping, { () throws(PostgresError) in
            try writer.write(batch.results, fixes: batch.positions)
        }), events.publish(stored.map { ($0, batch.uniqueIds[$0.deviceId] ?? String($0.deviceId)) },
                           isStopping: isStopping)
        else { return }
        do {
            try consumer.commit(offsets: batch.offsets)
        } catch {
            // The partition moved to another worker, which replays from the last commit: harmless.
            if logLimiter.allow("commit \(error.code)") {
                logger.warning("offsets not committed; another worker will replay them", metadata: ["error": "\(error)"])
            }
        }
    }
}
