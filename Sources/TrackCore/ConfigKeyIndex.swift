import Synchronization

/// The documented keys, for `itrack config` and the README; filled as keys are first touched.
public enum ConfigKeyIndex {
    public struct Entry: Sendable, Equatable {
        public let name: String
        public let defaultText: String
        public let summary: String
    }

    private static let entries = Mutex<[String: Entry]>([:])

    static func register(name: String, defaultText: String, summary: String) {
        entries.withLock { $0[name] = Entry(name: name, defaultText: defaultText, summary: summary) }
    }

    /// Every key, sorted by name.
    public static var all: [Entry] {
        ConfigKeys.touchAll()
        return entries.withLock { $0.values.sorted { $0.name < $1.name } }
    }
}
