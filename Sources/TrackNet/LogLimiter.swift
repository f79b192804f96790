import Foundation
import Synchronization

/// Lets a repeated log line through once per interval per key, so bad input cannot flood the log.
public final class LogLimiter: Sendable {
    private let interval: TimeInterval
    private let lastLogged = Mutex<[String: Date]>([:])

    public init(interval: TimeInterval = 60) {
        self.interval = interval
    }

    /// True when a line for `key` should be logged now.
    public func allow(_ key: String, now: Date = Date()) -> Bool {
        lastLogged.withLock { seen in
            if let last = seen[key], now.timeIntervalSince(last) < interval { return false }
            if seen.count > 10_000 { seen.removeAll() }
            seen[key] = now
            return true
        }
    }
}
