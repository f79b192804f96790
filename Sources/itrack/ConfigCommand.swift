import ArgumentParser
import TrackCore

/// Prints every configuration key with its environment variable and default.
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config", abstract: "List the configuration keys, their environment variables and defaults.")

    func run() {
        for entry in ConfigKeyIndex.all {
            let environment = Config.environmentName(for: entry.name)
            print("\(entry.name)\t\(environment)\t\(entry.defaultText)\t\(entry.summary)")
        }
    }
}
