import Foundation
import TrackCore

/// Reads one device's positions in a fix-time range, oldest first, for `GET /api/positions` and exports.
///
/// Both bounds are inclusive; rows with the same fix time come in id order, so every read is repeatable.
public struct PositionHistory {
    let connection: PostgresConnection

    public init(connection: PostgresConnection) {
        self.connection = connection
    }

    private static let range = PreparedStatement(name: "position_history", sql: """
        SELECT \(CommittedPositions.columns)
        WHERE p.deviceid = $1 AND p.fixtime >= $2 AND p.fixtime <= $3
        ORDER BY p.fixtime, p.id LIMIT $4
        """)
    // `fixtime >= $2` repeats what the row comparison implies because it bounds the scan of the
    // (deviceid, fixtime, …) index directly; `id` is not in that index.
    private static let page = PreparedStatement(name: "position_history_page", sql: """
        SELECT \(CommittedPositions.columns)
        WHERE p.deviceid = $1 AND p.fixtime >= $2::timestamp AND p.fixtime <= $4
          AND (p.fixtime, p.id) > ($2::timestamp, $3::bigint)
        ORDER BY p.fixtime, p.id LIMIT $5
        """)

    /// Up to `limit` positions of `deviceId` with `from ≤ fixTime ≤ to`, ordered by fix time, then id.
    public func rows(deviceId: Int, from: Date, to: Date, limit: Int) throws(PostgresError) -> [StoredPosition] {
        try CommittedPositions.decode(firstPage(deviceId: deviceId, from: from, to: to, limit: limit))
    }

    /// Where a paged read goes on: after the last row's (fix time, id), kept as the database's own text so
    /// microseconds survive exactly.
    public struct Cursor: Sendable, Equatable {
        let fixTime: String
        let id: String
    }

    /// One page of a long read: up to `batch` positions after `cursor` (from the start of the range when nil), and
    /// the cursor for the next page, nil when this one was the last.
    ///
    /// Each page is its own query continuing after the last (fix time, id) seen — no OFFSET, so a page costs the
    /// same at the end of a year as at its start, and no transaction is held open between pages (the caller may
    /// be writing to a slow client, and may hold a connection only per page). Rows committed meanwhile appear if
    /// they sort after the cursor.
    public func page(deviceId: Int, from: Date, to: Date, after cursor: Cursor?, batch: Int = 1000)
        throws(PostgresError) -> (positions: [StoredPosition], next: Cursor?)
    {
        let batch = max(batch, 1)
        let result = if let cursor {
            try connection.execute(
                Self.page,
                [String(deviceId), cursor.fixTime, cursor.id, PostgresText.timestamp(to), String(batch)],
                context: "read position history")
        } else {
            try firstPage(deviceId: deviceId, from: from, to: to, limit: batch)
        }
        let positions = CommittedPositions.decode(result)
        let last = result.rowCount - 1
        guard result.rowCount == batch, let fixTime = result.value(row: last, column: 5),
              let id = result.value(row: last, column: 0)
        else { return (positions, nil) }
        return (positions, Cursor(fixTime: fixTime, id: id))
    }

    private func firstPage(deviceId: Int, from: Date, to: Date, limit: Int) throws(PostgresError) -> PostgresResult {
        try connection.execute(
            Self.range,
            [String(deviceId), PostgresText.timestamp(from), PostgresText.timestamp(to), String(max(limit, 0))],
            context: "read position history")
    }
}
