import Synchronization

/// The in-memory side of `LogSink`, so tests can check the exact bytes a handler produced.
public final class MemoryLogSink: Sendable {
    private let writes = Mutex<[String]>([])

    public init() {}

    /// Every write so far, verbatim with its newline. A handler writes each log line in one call,
    /// so each element should be exactly one line.
    public var lines: [String] { writes.withLock { $0 } }

    func append(_ line: [UInt8]) {
        let text = String(decoding: line, as: UTF8.self)
        writes.withLock { $0.append(text) }
    }
}
