import ArgumentParser
import Foundation
import Logging
import TrackCore
import TrackLog

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

    /// This node's name for its cursors in `it_publish_cursors`: `kafka.node`, else the host name.
    var nodeName: String {
        let node = self[ConfigKeys.kafkaNode]
        return node.isEmpty ? ProcessInfo.processInfo.hostName : node
    }

    /// The value of a port key, or a clear error when it is no TCP port.
    func port(_ key: ConfigKey<Int>) throws -> UInt16 {
        guard let port = UInt16(exactly: self[key]) else {
            throw ConfigError(key: key.name, message: "\(self[key]) is not a TCP port")
        }
        return port
    }
}

extension Config {
    /// Sends every logger to stderr in the configured format and level; called once, before any logger exists.
    func bootstrapLogging() throws {
        guard let format = LogFormat(rawValue: self[ConfigKeys.logFormat]) else {
            throw ValidationError("config log.format: expected text or json, got '\(self[ConfigKeys.logFormat])'")
        }
        guard let level = Logger.Level(rawValue: self[ConfigKeys.logLevel]) else {
            throw ValidationError("config logger.level: expected trace, debug, info, notice, warning, error or critical")
        }
        LoggingSystem.bootstrap { label in format.makeHandler(label: label, level: level) }
    }
}
