import ArgumentParser
import Foundation
import TrackCore

/// Options every command that talks to the database shares.
struct ConfigOptions: ParsableArguments {
    @Option(name: .long, help: "Config file: Traccar-style XML entries or key=value lines.")
    var config: String?

    /// Defaults < file < `ITRACK_*` environment.
    func load() throws -> Config {
        var fileText: String?
        if let config {
            do {
                fileText = try String(contentsOfFile: config, encoding: .utf8)
            } catch {
                throw ValidationError("cannot read config file \(config): \(error.localizedDescription)")
            }
        }
        do {
            return try Config.load(fileText: fileText, environment: ProcessInfo.processInfo.environment)
        } catch {
            throw ValidationError(error.description)
        }
    }
}

extension Config {
    /// The database URL, or a clear error telling the user how to set one.
    func requireDatabaseURL() throws -> String {
        let url = self[ConfigKeys.databaseURL]
        if url.isEmpty {
            throw ValidationError(
                "database.url is not set: export ITRACK_DATABASE_URL=postgresql://… (scripts/run starts a private one)")
        }
        return url
    }
}
