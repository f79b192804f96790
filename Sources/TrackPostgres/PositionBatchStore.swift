import Foundation
import TrackCore

/// One report waiting for its batch, with the time it reached the server. A class: it moves from the queue to a
/// batch and through the store, and a struct copied its report's every field (one retain each) at each step.
final class PendingReport {
    let report: DeviceReport
    let receivedAt: Date
    let completion: @Sendable (WriteOutcome) -> Void

    init(report: DeviceReport, receivedAt: Date, completion: @escaping @Sendable (WriteOutcome) -> Void) {
        self.report = report
        self.receivedAt = receivedAt
        self.completion = completion
    }
}

/// Writes one batch of reports in one transaction: resolve devices, filter, insert, move each device's latest.
///
/// Owns the device cache; changes to it are staged beside it and kept only when the transaction commits (staging
/// only the changes, not a copy of the whole cache, keeps a batch's cost independent of the fleet's size).
final class PositionBatchStore {
    private let resolver: DeviceResolver
    private let filter: PositionFilter
    private var devices: [String: CachedDevice] = [:]

    init(resolver: DeviceResolver, filter: PositionFilter) {
        self.resolver = resolver
        self.filter = filter
    }

    /// Forgets cached devices, e.g. after reconnecting to a database that may have changed meanwhile.
    func clearCache() {
        devices.removeAll()
    }

    /// Commits `batch` and returns one outcome per report, in order.
    func write(_ batch: [PendingReport], on connection: PostgresConnection, now: Date) throws(PostgresError)
        -> (outcomes: [WriteOutcome], stats: BatchStats)
    {
        let started = Date()
        var missing: Set<String> = []
        for pending in batch where devices[pending.report.uniqueId] == nil { missing.insert(pending.report.uniqueId) }
        // Devices the database has but the cache does not (every device's first report after a restart) are read
        // before the batch's statement and outside any transaction: a read needs no commit. `staged` holds what
        // this batch changes of the cache.
        var staged = try resolver.lookUp(Array(missing), on: connection)
        let unregistered = resolver.registrable(missing.filter { staged[$0] == nil })
        // A batch without devices to create or push tokens to keep is the insert alone: one statement is atomic by
        // itself, so it skips the two round trips of BEGIN and COMMIT.
        let singleStatement = unregistered.isEmpty && batch.allSatisfy { $0.report.notificationToken == nil }
        let (outcomes, rowCount, inserted) = if singleStatement {
            try store(batch, unregistered: unregistered, staged: &staged, on: connection, now: now)
        } else {
            try connection.transaction { () throws(PostgresError) in
                try store(batch, unregistered: unregistered, staged: &staged, on: connection, now: now)
            }
        }
        devices.merge(staged) { _, new in new }
        let filtered = outcomes.filter { if case .filtered = $0 { true } else { false } }.count
        let stats = BatchStats(reports: batch.count, inserted: inserted, duplicates: rowCount - inserted,
                               filtered: filtered, seconds: Date().timeIntervalSince(started))
        return (outcomes, stats)
    }

    /// Registers the `unregistered` devices, then inserts the batch's rows and stores its push tokens.
    /// `staged` holds what this batch changed of the cache.
    private func store(_ batch: [PendingReport], unregistered: [String], staged: inout [String: CachedDevice],
                       on connection: PostgresConnection, now: Date) throws(PostgresError)
        -> (outcomes: [WriteOutcome], rows: Int, inserted: Int)
    {
        for (uniqueId, device) in try resolver.register(unregistered, on: connection) { staged[uniqueId] = device }
        var rows = PositionRows()
        let outcomes = batch.map { accept($0, into: &rows, staged: &staged, now: now) }
        for pending in batch {
            if let token = pending.report.notificationToken, let device = cached(pending.report.uniqueId, staged) {
                try storeNotificationToken(token, deviceId: device.id, on: connection)
            }
        }
        return (outcomes, rows.count, try rows.insert(on: connection, serverTime: now))
    }

    /// Decides one report's fate and, when it is to be stored, adds its row.
    private func accept(_ pending: PendingReport, into rows: inout PositionRows,
                        staged: inout [String: CachedDevice], now: Date) -> WriteOutcome {
        guard var device = cached(pending.report.uniqueId, staged) else { return .unknownDevice }
        if device.disabled { return .deviceDisabled }
        let position = pending.report.position.fillingOutdated(from: device.last)
        if let reason = filter.reason(for: position, last: device.last, now: now) { return .filtered(reason) }
        rows.append(position, deviceId: device.id, serverTime: pending.receivedAt)
        if device.last.map({ position.fixTime >= $0.fixTime }) ?? true {
            device.last = position
            staged[pending.report.uniqueId] = device
        }
        return .stored
    }

    /// The device as this batch sees it: changed by the batch, or as cached.
    private func cached(_ uniqueId: String, _ staged: [String: CachedDevice]) -> CachedDevice? {
        staged[uniqueId] ?? devices[uniqueId]
    }

    /// Keeps the phone's push token in the device's attributes, where Traccar's notificators look.
    private func storeNotificationToken(_ token: String, deviceId: Int, on connection: PostgresConnection)
        throws(PostgresError)
    {
        try connection.execute("""
            UPDATE tc_devices SET attributes = jsonb_set(COALESCE(NULLIF(attributes, ''), '{}')::jsonb,
                '{notificationTokens}', to_jsonb($2::text))::text
            WHERE id = $1
            """, [String(deviceId), token], context: "store notification token")
    }
}
