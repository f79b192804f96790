import ArgumentParser
import TrackPostgres

/// Creates or upgrades the schema and exits; `serve` does the same on start.
struct MigrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate", abstract: "Create or upgrade the database schema.")

    @OptionGroup var options: ConfigOptions

    func run() throws {
        let config = try options.load()
        let connection = try PostgresConnection(url: try config.requireDatabaseURL(), applicationName: "itrack-migrate")
        let applied = try Migrator(connection: connection).migrate()
        print(applied.isEmpty
              ? "schema is current (version \(Migrator.latestVersion))"
              : "applied migrations \(applied.map(String.init).joined(separator: ", "))")
    }
}
