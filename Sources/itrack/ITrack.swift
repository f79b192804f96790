import ArgumentParser

/// The itrack executable: a Traccar-compatible tracking server and its tools.
@main
struct ITrack: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "itrack",
        abstract: "Durable Traccar-compatible GPS tracking server.",
        subcommands: [ServeCommand.self, MigrateCommand.self, ReplayCommand.self, ConfigCommand.self])
}
