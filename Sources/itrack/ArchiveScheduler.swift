import Foundation
import Logging
import TrackCore

/// Runs the archive inside `serve`: once at start, which catches up on days missed while the server was down,
/// then every day at `archive.time` UTC. A day that fails stays unarchived and is retried at the next run;
/// ingest never waits for any of it.
final class ArchiveScheduler: @unchecked Sendable {
    // @unchecked: `stopping` is guarded by `condition`.
    private let service: ArchiveService
    /// Seconds after midnight UTC.
    private let time: Int
    private let logger: Logger
    private let condition = NSCondition()
    private var stopping = false

    init(service: ArchiveService, config: Config, logger: Logger) throws {
        let text = config[ConfigKeys.archiveTime]
        let parts = text.split(separator: ":")
        guard parts.count == 2, let hours = Int(parts[0]), let minutes = Int(parts[1]), (0..<24).contains(hours),
              (0..<60).contains(minutes)
        else { throw ConfigError(key: ConfigKeys.archiveTime.name, message: "expected HH:mm (UTC), got \(text)") }
        self.service = service
        time = hours * 3600 + minutes * 60
        self.logger = logger
    }

    func start() {
        let thread = Thread { [self] in
            repeat {
                do {
                    _ = try service.run(.missing)
                } catch {
                    logger.error("archive run failed; retried at the next one", metadata: ["error": "\(error)"])
                }
            } while waitForNextRun()
        }
        thread.name = "itrack-archive"
        thread.start()
    }

    /// Ends the schedule without waiting for a run in progress: a day can take minutes, longer than a stop
    /// may. Its open upload is aborted and the day archived again by the next run (see `ArchiveService`).
    func stop() {
        condition.lock()
        stopping = true
        condition.signal()
        condition.unlock()
    }

    /// Sleeps until the next `archive.time`; false when stopping.
    private func waitForNextRun() -> Bool {
        let now = Date().timeIntervalSince1970
        let midnight = (now / 86_400).rounded(.down) * 86_400
        var next = midnight + Double(time)
        if next <= now { next += 86_400 }
        condition.lock()
        defer { condition.unlock() }
        while !stopping && condition.wait(until: Date(timeIntervalSince1970: next)) {}
        return !stopping
    }
}
