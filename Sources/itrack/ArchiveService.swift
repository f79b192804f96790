import Foundation
import Logging
import Metrics
import TrackCore
import TrackPostgres
import TrackS3

/// Decides which days to archive and archives them one by one: every complete UTC day (before today) not yet
/// archived, or the days asked for. Shared by `itrack archive` and the daily schedule inside `serve`.
final class ArchiveService {
    struct Settings {
        var databaseURL: String
        var s3: S3Client.Settings
        var layout: ArchiveLayout
        var partSize: Int
        var retentionDays: Int

        /// Nil when no bucket is configured: there is nothing to archive to.
        init?(config: Config, environment: [String: String]) throws {
            let bucket = config[ConfigKeys.archiveBucket]
            guard !bucket.isEmpty else { return nil }
            guard let accessKey = environment["AWS_ACCESS_KEY_ID"], let secretKey = environment["AWS_SECRET_ACCESS_KEY"],
                  !accessKey.isEmpty, !secretKey.isEmpty
            else {
                throw ConfigError(key: ConfigKeys.archiveBucket.name,
                                  message: "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY to archive to \(bucket)")
            }
            let region = config[ConfigKeys.archiveRegion]
            let endpoint = config[ConfigKeys.archiveEndpoint]
            databaseURL = try config.requireDatabaseURL()
            s3 = S3Client.Settings(
                endpoint: endpoint.isEmpty ? "https://s3.\(region).amazonaws.com" : endpoint, region: region,
                bucket: bucket, pathStyle: config[ConfigKeys.archivePathStyle], accessKey: accessKey,
                secretKey: secretKey)
            layout = ArchiveLayout(prefix: config[ConfigKeys.archivePrefix])
            partSize = config[ConfigKeys.archivePartSize]
            retentionDays = config[ConfigKeys.archiveRetentionDays]
        }
    }

    enum Selection {
        /// Every complete day not archived yet.
        case missing
        /// These days, archived again if they were.
        case days([ArchiveDay])
    }

    private let settings: Settings
    private let logger: Logger
    private let terminal: Bool
    private let lastSuccess = Gauge(label: "itrack_archive_last_success_timestamp_seconds",
                                    dimensions: [("kind", "positions")])
    private let rowsArchived = Counter(label: "itrack_archive_rows_total")
    private let bytesArchived = Counter(label: "itrack_archive_bytes_total")
    private let failures = Counter(label: "itrack_archive_failures_total")

    init(settings: Settings, logger: Logger, terminal: Bool) {
        self.settings = settings
        self.logger = logger
        self.terminal = terminal
    }

    /// Archives the selected days; with `dryRun`, only lists them with their row counts. A day that fails is
    /// recorded as failed and the others still run; the error names every failed day.
    func run(_ selection: Selection, dryRun: Bool = false, today: ArchiveDay = ArchiveDay(containing: Date()))
        throws -> [DayArchiver.Outcome]
    {
        let store = ArchiveStore(connection: try PostgresConnection(url: settings.databaseURL,
                                                                   applicationName: "itrack-archive"))
        guard try store.tryLock() else {
            logger.notice("another archive run holds the lock; nothing to do here")
            return []
        }
        defer { try? store.unlock() }
        let s3 = try S3Client(settings: settings.s3)
        try abortInterrupted(store, s3: s3)
        let days = try select(selection, store: store, today: today)
        if dryRun {
            for day in days {
                let rows = try store.stats(day).rows
                logger.info("would archive", metadata: [
                    "day": "\(day)", "key": "\(settings.layout.objectKey(day))", "rows": "\(rows)",
                ])
            }
            return []
        }
        let archiver = DayArchiver(store: store, s3: s3, layout: settings.layout, partSize: settings.partSize,
                                   progress: ArchiveProgress(terminal: terminal, logger: logger), logger: logger)
        var outcomes: [DayArchiver.Outcome] = []
        var failed: [String] = []
        for day in days {
            do {
                let outcome = try archiver.archive(day)
                outcomes.append(outcome)
                rowsArchived.increment(by: Int(outcome.rows))
                bytesArchived.increment(by: Int(outcome.bytes))
                lastSuccess.record(Date().timeIntervalSince1970)
            } catch {
                failures.increment()
                failed.append("\(day): \(error)")
            }
        }
        if settings.retentionDays > 0 {
            let deleted = try store.deletePositions(before: today.advanced(by: -Int64(settings.retentionDays)))
            if deleted > 0 { logger.info("deleted archived positions", metadata: ["rows": "\(deleted)"]) }
        }
        if !failed.isEmpty { throw DayArchiver.Failure(description: failed.joined(separator: "; ")) }
        return outcomes
    }

    private func select(_ selection: Selection, store: ArchiveStore, today: ArchiveDay) throws -> [ArchiveDay] {
        switch selection {
        case .days(let days):
            return days.sorted()
        case .missing:
            let yesterday = today.advanced(by: -1)
            guard let first = try store.firstDay(), first <= yesterday else { return [] }
            let done = try store.succeededDays(from: first, through: yesterday)
            return (first.daysSinceEpoch...yesterday.daysSinceEpoch).map(ArchiveDay.init).filter { !done.contains($0) }
        }
    }

    /// A process killed mid-run leaves its run `running` and its multipart upload open: abort the upload (its
    /// parts are never visible as an object, but they cost storage) and record the run as failed.
    private func abortInterrupted(_ store: ArchiveStore, s3: S3Client) throws {
        for run in try store.interruptedRuns() {
            if let uploadId = run.uploadId {
                do {
                    try s3.abortMultipartUpload(key: run.key, uploadId: uploadId)
                } catch {
                    // 404: already gone; anything else is worth stopping for.
                    if error.status != 404 { throw error }
                }
            }
            try store.failed(run.id, error: "interrupted: the archiving process stopped before finishing")
            logger.warning("aborted an interrupted archive run", metadata: ["day": "\(run.day)", "key": "\(run.key)"])
        }
    }
}
