import DequeModule
import Foundation
import Logging
import TrackCore

/// Group-commits reports from every connection: one thread, one database connection, one
/// transaction per batch, and each report's completion called only after its batch committed.
///
/// Backpressure instead of collapse: the queue is bounded and answers `.overloaded` when full;
/// while the database is unreachable every report is answered `.unavailable` at once, and the
/// writer reconnects by itself with exponential backoff.
public final class PositionWriter: @unchecked Sendable {
    public struct Settings: Sendable {
        public var databaseURL: String
        public var batchSize: Int
        /// Seconds a non-full batch waits for more reports once the first one arrived.
        public var batchWait: Double
        public var queueSize: Int
        public var registerUnknown: Bool
        /// Unique ids that may be registered automatically (whole-string match).
        public var registerPattern: String
        public var filter: PositionFilter
        /// Seconds without reports after which the writer checks its connection.
        public var idleCheckInterval: Double

        public init(config: Config) {
            databaseURL = config[ConfigKeys.databaseURL]
            batchSize = max(1, config[ConfigKeys.batchSize])
            batchWait = max(0, config[ConfigKeys.batchWait])
            queueSize = max(1, config[ConfigKeys.queueSize])
            registerUnknown = config[ConfigKeys.registerUnknown]
            registerPattern = config[ConfigKeys.registerUnknownRegex]
            filter = PositionFilter(config: config)
            idleCheckInterval = max(0.1, config[ConfigKeys.databaseCheckInterval])
        }
    }

    let settings: Settings
    let logger: Logger
    let onBatch: @Sendable (BatchStats) -> Void
    let condition = NSCondition()
    /// Guarded by `condition`.
    var queue = Deque<PendingReport>()
    /// Guarded by `condition`.
    var available = false
    /// Guarded by `condition`.
    var stopping = false
    /// Guarded by `condition`: devices were changed elsewhere (the API), so the cache must be read afresh.
    var devicesChanged = false
    private let finished = DispatchSemaphore(value: 0)
    let store: PositionBatchStore
    let metrics = WriterMetrics()
    /// Touched only by the writer thread: whether a connection was ever made, so the next one is a reconnect.
    private var connectedBefore = false

    /// - Parameter onBatch: called on the writer thread after each commit, for metrics.
    public init(settings: Settings, logger: Logger, onBatch: @escaping @Sendable (BatchStats) -> Void = { _ in })
        throws
    {
        self.settings = settings
        self.logger = logger
        self.onBatch = onBatch
        let pattern = try Regex(settings.registerPattern)
        let resolver = DeviceResolver(registerUnknown: settings.registerUnknown) {
            (try? pattern.wholeMatch(in: $0)) != nil
        }
        store = PositionBatchStore(resolver: resolver, filter: settings.filter)
    }

    /// Connects, then starts the writer thread. Returns once the first connection attempt is over,
    /// so a server that starts listening afterwards does not refuse its first reports needlessly.
    public func start() {
        let firstConnection = connect()
        let thread = Thread { [self] in run(connection: firstConnection) }
        thread.name = "itrack-writer"
        thread.start()
    }

    /// Queues a report; `completion` runs on the writer thread (or at once when refused).
    public func submit(_ report: DeviceReport, receivedAt: Date,
                       completion: @escaping @Sendable (WriteOutcome) -> Void) {
        condition.lock()
        let refusal: WriteOutcome?
        if stopping || !available {
            refusal = .unavailable(stopping ? "server is shutting down" : "database unavailable")
        } else if queue.count >= settings.queueSize {
            refusal = .overloaded
        } else {
            refusal = nil
            queue.append(PendingReport(report: report, receivedAt: receivedAt, completion: completion))
            if queue.count == 1 || queue.count >= settings.batchSize { condition.signal() }
        }
        condition.unlock()
        if let refusal { completion(refusal) }
    }

    /// Reports waiting for a commit.
    public var queueDepth: Int {
        condition.lock()
        defer { condition.unlock() }
        return queue.count
    }

    /// Whether the writer currently has a working database connection.
    public var isAvailable: Bool {
        condition.lock()
        defer { condition.unlock() }
        return available
    }

    /// Makes the writer read devices afresh before its next batch: a device disabled, renamed or deleted through
    /// the API then takes effect for the phone's next report (a deleted one is registered again or refused).
    public func forgetDevices() {
        condition.lock()
        devicesChanged = true
        condition.unlock()
    }

    /// Stops taking reports, commits and answers everything queued, then returns.
    public func stop() {
        condition.lock()
        stopping = true
        condition.signal()
        condition.unlock()
        finished.wait()
    }

    private func run(connection first: PostgresConnection?) {
        var connection = first
        var backoff = 0.1
        while true {
            if connection == nil {
                connection = connect()
                if connection == nil {
                    failQueued(with: "database unavailable")
                    if waitForStop(seconds: backoff) { break }
                    backoff = min(backoff * 2, 5)
                    continue
                }
                backoff = 0.1
            }
            guard let batch = nextBatch() else { break }
            if let current = connection, batch.isEmpty ? !isAlive(current) : !write(batch, on: current) {
                setAvailable(false)
                store.clearCache()
                connection = nil
            }
        }
        failQueued(with: "server is shutting down")
        finished.signal()
    }

    private func connect() -> PostgresConnection? {
        do {
            let connection = try PostgresConnection(url: settings.databaseURL, applicationName: "itrack-writer")
            setAvailable(true)
            if connectedBefore { metrics.reconnects.increment() }
            connectedBefore = true
            logger.info("database connected")
            return connection
        } catch {
            logger.warning("database unavailable", metadata: ["error": "\(error)"])
            return nil
        }
    }
}
