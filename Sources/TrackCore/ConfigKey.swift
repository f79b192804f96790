/// A typed configuration key with Traccar's name where Traccar has one, and its default.
public struct ConfigKey<Value: ConfigValue>: Sendable {
    public let name: String
    public let defaultValue: Value
    public let summary: String

    public init(_ name: String, default defaultValue: Value, _ summary: String) {
        self.name = name
        self.defaultValue = defaultValue
        self.summary = summary
    }

    /// This key as a documented entry, with a check that a text value parses as `Value`.
    public var entry: ConfigKeyIndex.Entry {
        ConfigKeyIndex.Entry(name: name, defaultText: defaultValue.configText, summary: summary) {
            Value(configText: $0) != nil
        }
    }

    /// The environment variable that sets this key: `ITRACK_` + the name upper-cased, dots as underscores.
    public var environmentName: String { Config.environmentName(for: name) }
}

/// A value that can be read from configuration text.
public protocol ConfigValue: Sendable {
    init?(configText: String)
    var configText: String { get }
}

extension Int: ConfigValue {
    public init?(configText: String) { self.init(configText.trimmingWhitespace) }
    public var configText: String { String(self) }
}

extension Double: ConfigValue {
    public init?(configText: String) {
        guard let value = Double(configText.trimmingWhitespace), value.isFinite else { return nil }
        self = value
    }
    public var configText: String { String(self) }
}

extension Bool: ConfigValue {
    public init?(configText: String) {
        switch configText.trimmingWhitespace.lowercased() {
        case "true", "1", "yes", "on": self = true
        case "false", "0", "no", "off": self = false
        default: return nil
        }
    }
    public var configText: String { self ? "true" : "false" }
}

extension String: ConfigValue {
    public init?(configText: String) { self = configText }
    public var configText: String { self }
}

extension String {
    var trimmingWhitespace: Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let start = firstIndex(where: { !isSpace($0) }), let end = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return self[start...end]
    }
}
