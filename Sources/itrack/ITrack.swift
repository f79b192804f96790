import ArgumentParser

/// The itrack executable: a Traccar-compatible tracking server and its tools.
@main
struct ITrack: ParsableCommand {
    static let version = "0.3.0"

    static let configuration = CommandConfiguration(
        commandName: "itrack",
        abstract: "Durable Traccar-compatible GPS tracking server.",
        version: version,
        subcommands: [ServeCommand.self, AnalyticsCommand.self, ArchiveCommand.self, MigrateCommand.self, ReplayCommand.self, ConfigCommand.self])
}
