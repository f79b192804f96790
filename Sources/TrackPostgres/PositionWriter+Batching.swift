import Foundation
import TrackCore

extension PositionWriter {
    /// Waits for the next batch: the first report, then up to `batchWait` more for a fuller batch.
    /// Returns an empty batch when nothing arrived for `idleCheckInterval`, so the caller can check
    /// the connection, and nil once stopping with nothing left to write.
    func nextBatch() -> [PendingReport]? {
        condition.lock()
        defer { condition.unlock() }
        let idleDeadline = Date(timeIntervalSinceNow: settings.idleCheckInterval)
        while queue.isEmpty {
            if stopping { return nil }
            if !condition.wait(until: idleDeadline) && queue.isEmpty { return stopping ? nil : [] }
        }
        if settings.batchWait > 0 && queue.count < settings.batchSize && !stopping {
            let deadline = Date(timeIntervalSinceNow: settings.batchWait)
            while queue.count < settings.batchSize && !stopping && condition.wait(until: deadline) {}
        }
        let count = min(queue.count, settings.batchSize)
        let batch = Array(queue.prefix(count))
        queue.removeFirst(count)
        if devicesChanged {
            devicesChanged = false
            store.clearCache()
        }
        return batch
    }

    /// Writes a batch and answers its reports. Returns false when the connection must be replaced.
    func write(_ batch: [PendingReport], on connection: PostgresConnection, cacheIsFresh: Bool = false) -> Bool {
        do {
            let (outcomes, stats) = try store.write(batch, on: connection, now: Date())
            // Counted before anyone is answered, so a client that scrapes /metrics after its answer sees its batch.
            onBatch(stats)
            for (pending, outcome) in zip(batch, outcomes) { pending.completion(outcome) }
            return true
        } catch where error.code == .statement && connection.isOpen {
            // A cached device deleted since (by SQL, or by another server on the same database): read afresh.
            if error.sqlState == "23503" && !cacheIsFresh {
                store.clearCache()
                return write(batch, on: connection, cacheIsFresh: true)
            }
            metrics.statementFailures.increment()
            return writeOneByOne(batch, on: connection, error: error)
        } catch {
            metrics.connectionFailures.increment()
            logger.error("batch failed", metadata: ["error": "\(error)", "reports": "\(batch.count)"])
            for pending in batch { pending.completion(.unavailable(error.message)) }
            return false
        }
    }

    /// A statement error rolls back the whole batch; retry each report alone so one bad report
    /// is refused with the database's reason and the others are still committed.
    private func writeOneByOne(_ batch: [PendingReport], on connection: PostgresConnection,
                               error: PostgresError) -> Bool {
        guard batch.count > 1 else {
            logger.warning("report refused by database", metadata: ["error": "\(error)"])
            batch.first?.completion(.rejected(error.message))
            return true
        }
        for pending in batch where !write([pending], on: connection, cacheIsFresh: true) {
            return false
        }
        return true
    }

    /// Asks the server for a trivial answer, so an idle writer notices a lost database (and
    /// readiness and metrics say so) before the next phone report does.
    func isAlive(_ connection: PostgresConnection) -> Bool {
        do {
            try connection.execute("SELECT 1", context: "check connection")
            return true
        } catch {
            logger.warning("database connection lost", metadata: ["error": "\(error)"])
            return false
        }
    }

    /// Seconds the oldest queued report has waited, 0 when none waits: a writer that stops
    /// committing shows here first.
    public func oldestWait(now: Date) -> Double {
        condition.lock()
        defer { condition.unlock() }
        return queue.first.map { now.timeIntervalSince($0.receivedAt) } ?? 0
    }

    /// Answers everything queued with `.unavailable`, so phones retry instead of waiting.
    func failQueued(with reason: String) {
        condition.lock()
        let failed = Array(queue)
        queue.removeAll()
        condition.unlock()
        for pending in failed { pending.completion(.unavailable(reason)) }
    }

    func setAvailable(_ value: Bool) {
        condition.lock()
        available = value
        condition.unlock()
    }

    /// Sleeps up to `seconds` unless asked to stop; returns true when stopping.
    func waitForStop(seconds: Double) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        let deadline = Date(timeIntervalSinceNow: seconds)
        while !stopping && condition.wait(until: deadline) {}
        return stopping
    }
}
