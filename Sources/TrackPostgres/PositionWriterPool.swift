import Foundation
import Logging
import TrackCore

/// Several group-commit writers side by side, each with its own thread and connection.
///
/// A device always goes to the same writer (by its unique id), so one device's positions stay in
/// order, its cached latest position stays right, and two writers never update the same device row
/// (which could otherwise deadlock or move `positionid` backwards).
public final class PositionWriterPool: Sendable {
    private let writers: [PositionWriter]

    public init(settings: PositionWriter.Settings, count: Int, logger: Logger,
                onBatch: @escaping @Sendable (BatchStats) -> Void = { _ in }) throws {
        var share = settings
        share.queueSize = max(1, settings.queueSize / max(1, count))
        writers = try (0..<max(1, count)).map { _ in
            try PositionWriter(settings: share, logger: logger, onBatch: onBatch)
        }
    }

    public func start() {
        for writer in writers { writer.start() }
    }

    /// Queues a report on its device's writer; see `PositionWriter.submit`.
    public func submit(_ report: DeviceReport, receivedAt: Date,
                       completion: @escaping @Sendable (WriteOutcome) -> Void) {
        writers[Int(UInt(bitPattern: report.uniqueId.hashValue) % UInt(writers.count))]
            .submit(report, receivedAt: receivedAt, completion: completion)
    }

    /// See `PositionWriter.forgetDevices`.
    public func forgetDevices() {
        for writer in writers { writer.forgetDevices() }
    }

    public var queueDepth: Int { writers.reduce(0) { $0 + $1.queueDepth } }

    public var isAvailable: Bool { writers.allSatisfy(\.isAvailable) }

    /// Seconds the longest-waiting queued report has waited, across writers.
    public func oldestWait(now: Date) -> Double { writers.map { $0.oldestWait(now: now) }.max() ?? 0 }

    /// Stops every writer; each commits and answers what it has queued first.
    public func stop() {
        for writer in writers { writer.stop() }
    }
}
