import Logging

/// How the server writes its log: `text` for a person at a terminal, `json` for a log collector.
/// The raw values are the spellings accepted on the command line.
public enum LogFormat: String, Sendable, CaseIterable {
    case text
    case json

    /// The handler for `LoggingSystem.bootstrap`. Both formats go to stderr so that logs never mix
    /// with anything the process prints on stdout.
    public func makeHandler(label: String, level: Logger.Level) -> any LogHandler {
        var handler: any LogHandler
        switch self {
        case .text: handler = StreamLogHandler.standardError(label: label)
        case .json: handler = JSONLogHandler(label: label, sink: .standardError)
        }
        handler.logLevel = level
        return handler
    }
}
