import ArgumentParser
import Foundation
import Logging
import TrackCore

/// Archives days to S3 by hand: the complete days not archived yet, or the ones named.
struct ArchiveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "archive",
        abstract: "Archive complete UTC days of positions to S3 as gzipped CSV (Hive-style dt= partitions).")

    @OptionGroup var options: ConfigOptions

    @Option(help: "Archive this day (YYYY-MM-DD), again if it already is.")
    var day: String?

    @Option(help: "Archive every complete day from this one (YYYY-MM-DD) to yesterday, again if already archived.")
    var since: String?

    @Flag(help: "List the days that would be archived, with their row counts, and upload nothing.")
    var dryRun = false

    func validate() throws {
        if day != nil && since != nil { throw ValidationError("give --day or --since, not both") }
        for (name, value) in [("--day", day), ("--since", since)] {
            if let value, ArchiveDay(value) == nil { throw ValidationError("\(name) \(value): expected YYYY-MM-DD") }
        }
    }

    func run() throws {
        let config = try options.load()
        try config.bootstrapLogging()
        let logger = Logger(label: "itrack.archive")
        guard let settings = try ArchiveService.Settings(config: config,
                                                         environment: ProcessInfo.processInfo.environment)
        else { throw ValidationError("archive.s3.bucket is not set: nothing to archive to") }
        try ServeCommand.migrateWhenReachable(url: settings.databaseURL, logger: logger)
        let today = ArchiveDay(containing: Date())
        var selection = ArchiveService.Selection.missing
        if let day, let parsed = ArchiveDay(day) { selection = .days([parsed]) }
        if let since, let first = ArchiveDay(since) {
            selection = .days(first < today ? (first.daysSinceEpoch..<today.daysSinceEpoch).map(ArchiveDay.init) : [])
        }
        let terminal = isatty(STDERR_FILENO) == 1 && config[ConfigKeys.logFormat] == "text"
        let outcomes = try ArchiveService(settings: settings, logger: logger, terminal: terminal)
            .run(selection, dryRun: dryRun, today: today)
        if !dryRun { logger.info("archive done", metadata: ["days": "\(outcomes.count)"]) }
    }
}
