import Foundation
import TrackCore

/// The archive's side of PostgreSQL: a day's rows as CSV, and the record of runs in `it_archive_runs`.
///
/// A day is the UTC day the server received the positions (`servertime`), not their fix time: a phone that
/// uploads a week of buffered points adds them to today, so a day's object, once written, is complete and
/// never needs rewriting.
public struct ArchiveStore {
    public struct DayStats: Sendable, Equatable {
        public var rows: Int64
        public var firstServerTime: Date?
        public var lastServerTime: Date?
        public var firstFixTime: Date?
        public var lastFixTime: Date?
    }

    /// A run a killed process left `running`, with the multipart upload it may have left open.
    public struct Interrupted: Sendable, Equatable {
        public var id: Int64
        public var day: ArchiveDay
        public var key: String
        public var uploadId: String?
    }

    let connection: PostgresConnection

    public init(connection: PostgresConnection) {
        self.connection = connection
    }

    /// The first day with a position, or nil when there are none. One scan a run: ids only roughly follow
    /// server time (a batch commits late, a replay back-fills), and the BRIN index cannot answer a minimum.
    public func firstDay() throws(PostgresError) -> ArchiveDay? {
        try liftStatementTimeout()
        let result = try connection.execute("SELECT min(servertime) FROM tc_positions",
                                            context: "read the first position")
        return result.value(row: 0, column: 0).flatMap(PostgresText.date(fromTimestamp:)).map(ArchiveDay.init)
    }

    public func succeededDays(from first: ArchiveDay, through last: ArchiveDay) throws(PostgresError) -> Set<ArchiveDay> {
        let result = try connection.execute("""
            SELECT DISTINCT day FROM it_archive_runs WHERE status = 'succeeded' AND day BETWEEN $1 AND $2
            """, [first.description, last.description], context: "read archived days")
        return Set((0..<result.rowCount).compactMap { result.value(row: $0, column: 0).flatMap(ArchiveDay.init) })
    }

    public func stats(_ day: ArchiveDay) throws(PostgresError) -> DayStats {
        let result = try connection.execute("""
            SELECT count(*), min(servertime), max(servertime), min(fixtime), max(fixtime) FROM tc_positions
            WHERE servertime >= $1 AND servertime < $2
            """, [PostgresText.timestamp(day.start), PostgresText.timestamp(day.end)], context: "count the day")
        func time(_ column: Int) -> Date? { result.value(row: 0, column: column).flatMap(PostgresText.date(fromTimestamp:)) }
        return DayStats(rows: result.value(row: 0, column: 0).flatMap { Int64($0) } ?? 0, firstServerTime: time(1),
                        lastServerTime: time(2), firstFixTime: time(3), lastFixTime: time(4))
    }

    /// Streams the day's rows as CSV with a header line (`ArchiveManifest.columns`), each row to `row`.
    public func copyDay(_ day: ArchiveDay, row: (UnsafeRawBufferPointer) -> Bool) throws(PostgresError) {
        try liftStatementTimeout()
        // COPY takes no parameters; both bounds are timestamps this code formatted.
        try connection.copyOut("""
            COPY (SELECT p.id, p.deviceid, d.uniqueid, p.protocol, p.servertime, p.devicetime, p.fixtime, p.valid,
                         p.latitude, p.longitude, p.altitude, p.speed, p.course, p.accuracy, p.address, p.attributes,
                         p.network
                  FROM tc_positions p JOIN tc_devices d ON d.id = p.deviceid
                  WHERE p.servertime >= '\(PostgresText.timestamp(day.start))'
                    AND p.servertime < '\(PostgresText.timestamp(day.end))')
            TO STDOUT (FORMAT csv, HEADER)
            """, context: "copy \(day)", row: row)
    }

    /// Records a run as started; returns its id.
    public func startRun(_ day: ArchiveDay, key: String) throws(PostgresError) -> Int64 {
        let result = try connection.execute("""
            INSERT INTO it_archive_runs (day, key, status) VALUES ($1, $2, 'running') RETURNING id
            """, [day.description, key], context: "record an archive run")
        return result.value(row: 0, column: 0).flatMap { Int64($0) } ?? 0
    }

    /// Remembers the open multipart upload, so the next run can abort it if this process dies.
    public func setUpload(_ run: Int64, uploadId: String) throws(PostgresError) {
        try connection.execute("UPDATE it_archive_runs SET uploadid = $2 WHERE id = $1", [String(run), uploadId],
                               context: "record the upload")
    }

    public func succeeded(_ run: Int64, rows: Int64, bytes: Int64, sha256: String) throws(PostgresError) {
        try connection.execute("""
            UPDATE it_archive_runs SET status = 'succeeded', rows = $2, bytes = $3, sha256 = $4, uploadid = NULL,
                finished = now() AT TIME ZONE 'UTC' WHERE id = $1
            """, [String(run), String(rows), String(bytes), sha256], context: "record the archive")
    }

    public func failed(_ run: Int64, error: String) throws(PostgresError) {
        try connection.execute("""
            UPDATE it_archive_runs SET status = 'failed', error = $2, finished = now() AT TIME ZONE 'UTC' WHERE id = $1
            """, [String(run), error], context: "record the failure")
    }

    /// Runs still `running` though no archive holds the lock: their process died.
    public func interruptedRuns() throws(PostgresError) -> [Interrupted] {
        let result = try connection.execute("""
            SELECT id, day, key, uploadid FROM it_archive_runs WHERE status = 'running' ORDER BY id
            """, context: "read interrupted runs")
        return (0..<result.rowCount).compactMap { row in
            guard let id = result.value(row: row, column: 0).flatMap({ Int64($0) }),
                  let day = result.value(row: row, column: 1).flatMap(ArchiveDay.init),
                  let key = result.value(row: row, column: 2)
            else { return nil }
            return Interrupted(id: id, day: day, key: key, uploadId: result.value(row: row, column: 3))
        }
    }

    /// Session-level advisory lock, so that of several servers sharing a database one archives at a time.
    /// False when another session holds it.
    public func tryLock() throws(PostgresError) -> Bool {
        try connection.execute("SELECT pg_try_advisory_lock(hashtext('itrack-archive'))", context: "take the archive lock")
            .value(row: 0, column: 0) == "t"
    }

    public func unlock() throws(PostgresError) {
        try connection.execute("SELECT pg_advisory_unlock(hashtext('itrack-archive'))", context: "release the archive lock")
    }

    /// Deletes positions received before `day` whose days are archived, with their analytics rows kept.
    /// Returns how many were deleted.
    public func deletePositions(before day: ArchiveDay) throws(PostgresError) -> Int {
        try liftStatementTimeout()
        let result = try connection.execute("""
            WITH archived AS (SELECT DISTINCT day FROM it_archive_runs WHERE status = 'succeeded' AND day < $1)
            DELETE FROM tc_positions p USING archived a
            WHERE p.servertime >= a.day AND p.servertime < a.day + 1 AND p.id NOT IN
                (SELECT positionid FROM tc_devices WHERE positionid IS NOT NULL)
            """, [day.description], context: "delete archived positions")
        return result.affectedRows
    }

    /// A whole day takes longer than the connection's statement timeout.
    private func liftStatementTimeout() throws(PostgresError) {
        try connection.execute("SET statement_timeout = 0", context: "lift the statement timeout")
    }
}
