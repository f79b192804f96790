import Foundation
import Logging
import TrackNet
import TrackPostgres

/// Runs a database step again, with backoff, until it succeeds or the caller is stopping: the analytics keep
/// a batch in hand through a database outage rather than skip it.
struct DatabaseRetry {
    let logger: Logger
    let logLimiter = LogLimiter()
    /// What the step is, for the log line.
    let what: String

    /// The step's value; nil when `isStopping` turned true first.
    func run<T>(isStopping: () -> Bool, _ step: () throws(PostgresError) -> T) -> T? {
        var backoff = 0.1
        while !isStopping() {
            do {
                return try step()
            } catch {
                if logLimiter.allow("\(error.code)") {
                    logger.warning("\(what) failed; retrying", metadata: ["error": "\(error)"])
                }
                Thread.sleep(forTimeInterval: backoff)
                backoff = min(backoff * 2, 5)
            }
        }
        return nil
    }
}
