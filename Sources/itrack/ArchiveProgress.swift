import Foundation
import Logging
import TrackCore

/// Shows an archive run: a progress line redrawn every second on a terminal (rows/s, bytes, parts, ETA),
/// and one summary log line per day either way.
final class ArchiveProgress {
    private let terminal: Bool
    private let logger: Logger
    private var day: ArchiveDay?
    private var expectedRows: Int64 = 0
    private var started = Date()
    private var lastDrawn = Date.distantPast

    /// Draws progress when `terminal` (standard error is a terminal and logs are text).
    init(terminal: Bool, logger: Logger) {
        self.terminal = terminal
        self.logger = logger
    }

    func begin(day: ArchiveDay, expectedRows: Int64) {
        self.day = day
        self.expectedRows = expectedRows
        started = Date()
        lastDrawn = .distantPast
    }

    func update(rows: Int64, bytes: Int64, parts: Int) {
        guard terminal, let day else { return }
        let now = Date()
        guard now.timeIntervalSince(lastDrawn) >= 1 else { return }
        lastDrawn = now
        let elapsed = max(now.timeIntervalSince(started), 0.001)
        let rate = Double(rows) / elapsed
        let eta = rate > 0 ? Double(max(expectedRows - rows, 0)) / rate : 0
        let line = "\r\(day): \(rows)/\(expectedRows) rows, \(Int(rate)) rows/s, "
            + "\(String(format: "%.1f", Double(bytes) / 1_048_576)) MiB in \(parts) part(s), ETA \(Int(eta.rounded())) s   "
        FileHandle.standardError.write(Data(line.utf8))
    }

    func end(day: ArchiveDay, outcome: DayArchiver.Outcome) {
        if terminal { FileHandle.standardError.write(Data("\n".utf8)) }
        logger.info("archived", metadata: [
            "day": "\(day)", "key": "\(outcome.key)", "rows": "\(outcome.rows)", "bytes": "\(outcome.bytes)",
            "parts": "\(outcome.parts)", "seconds": "\(String(format: "%.2f", outcome.seconds))",
            "rowsPerSecond": "\(Int(Double(outcome.rows) / max(outcome.seconds, 0.001)))", "sha256": "\(outcome.sha256)",
        ])
    }

    func fail(day: ArchiveDay, error: any Error) {
        if terminal { FileHandle.standardError.write(Data("\n".utf8)) }
        logger.error("archive failed", metadata: ["day": "\(day)", "error": "\(error)"])
    }
}
