import Foundation

/// Settings merged from defaults, an optional file and the environment (in that order of precedence).
///
/// Pure: the caller reads the file and the environment and hands their contents in.
public struct Config: Sendable {
    private var values: [String: String]

    public init(values: [String: String] = [:]) {
        self.values = values
    }

    /// Merges a config file's text (Traccar's XML `<entry key="…">…</entry>` or `key=value` lines)
    /// and then the `ITRACK_*` environment variables over the defaults.
    public static func load(fileText: String?, environment: [String: String]) throws(ConfigError) -> Config {
        var values = try fileText.map(ConfigFileParser.parse) ?? [:]
        for entry in ConfigKeyIndex.all {
            if let value = environment[environmentName(for: entry.name)] {
                values[entry.name] = value
            }
        }
        let config = Config(values: values)
        try config.validate()
        return config
    }

    public static func environmentName(for key: String) -> String {
        "ITRACK_" + key.uppercased().replacingOccurrences(of: ".", with: "_")
    }

    public subscript<Value>(key: ConfigKey<Value>) -> Value {
        guard let text = values[key.name], let value = Value(configText: text) else { return key.defaultValue }
        return value
    }

    /// Returns a copy with one key set, for tests and command-line overrides.
    public func setting<Value>(_ key: ConfigKey<Value>, to value: Value) -> Config {
        var copy = self
        copy.values[key.name] = value.configText
        return copy
    }

    /// Rejects values of documented keys that do not parse, so a typo fails at start, not silently.
    private func validate() throws(ConfigError) {
        for entry in ConfigKeyIndex.all {
            if let text = values[entry.name], !entry.accepts(text) {
                throw ConfigError(key: entry.name, message: "cannot read '\(text)' as a value like '\(entry.defaultText)'")
            }
        }
    }
}

/// A setting that cannot be used, with the key it concerns.
public struct ConfigError: Error, Equatable, CustomStringConvertible {
    public let key: String
    public let message: String

    public init(key: String, message: String) {
        self.key = key
        self.message = message
    }

    public var description: String { "config \(key): \(message)" }
}
