/// The documented keys, for `itrack config`, the README and start-up validation.
public enum ConfigKeyIndex {
    public struct Entry: Sendable {
        public let name: String
        public let defaultText: String
        public let summary: String
        /// Whether a text value parses as the key's type.
        public let accepts: @Sendable (String) -> Bool
    }

    /// Every key, sorted by name.
    public static let all: [Entry] = ConfigKeys.entries.sorted { $0.name < $1.name }
}
