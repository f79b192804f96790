import Foundation
import Logging

/// A `LogHandler` that writes each event as one line of JSON, so a log collector can index the fields
/// without parsing free text.
///
/// The fixed fields `time`, `level`, `label` and `message` come first, then the metadata as top-level
/// members sorted by key, then `source`. A metadata key equal to a fixed field's name is written as
/// `metadata.<key>` so it can neither shadow that field nor produce a duplicate member.
public struct JSONLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let sink: LogSink

    private static let fixedFields: Set<String> = ["time", "level", "label", "message", "source"]

    /// The provider defaults to the one given to `LoggingSystem.bootstrap`, as `StreamLogHandler`'s does.
    public init(
        label: String, sink: LogSink, metadataProvider: Logger.MetadataProvider? = LoggingSystem.metadataProvider
    ) {
        self.label = label
        self.sink = sink
        self.metadataProvider = metadataProvider
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var line = JSONLine()
        line.add("time", LogTimestamp.format(Date()))
        line.add("level", event.level.rawValue)
        line.add("label", label)
        line.add("message", event.message.description)
        for (key, value) in Self.members(of: mergedMetadata(for: event)) {
            line.add(key, value)
        }
        line.add("source", event.source)
        sink.write(line.finish())
    }

    /// Merged in `StreamLogHandler`'s order (handler, then provider, then the call, then the error),
    /// so switching the log format never changes which value wins.
    private func mergedMetadata(for event: LogEvent) -> Logger.Metadata {
        var merged = metadata
        if let provided = metadataProvider?.get() {
            merged.merge(provided) { _, provided in provided }
        }
        if let explicit = event.metadata {
            merged.merge(explicit) { _, explicit in explicit }
        }
        if let error = event.error {
            merged["error.message"] = "\(error)"
            merged["error.type"] = "\(String(reflecting: type(of: error)))"
        }
        return merged
    }

    /// Sorted by the name actually written. The prefix is repeated while the prefixed name is itself
    /// a metadata key, so a caller who also logs `metadata.time` keeps both values.
    private static func members(of metadata: Logger.Metadata) -> [(key: String, value: Logger.MetadataValue)] {
        metadata.map { key, value in
            var name = key
            while fixedFields.contains(name) || (name != key && metadata[name] != nil) {
                name = "metadata." + name
            }
            return (name, value)
        }
        .sorted { $0.key < $1.key }
    }
}
