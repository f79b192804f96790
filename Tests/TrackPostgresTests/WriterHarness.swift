import Foundation
import Logging
import TestSupport
import TrackCore
import TrackPostgres

/// A writer on a fresh database (or on `url`'s, as a restarted server), with a way to wait for an outcome.
final class WriterHarness {
    let url: String
    let writer: PositionWriter

    init(url existing: String? = nil, config: (Config) -> Config = { $0 }) throws {
        url = try existing ?? TestDatabase.createMigrated()
        let base = Config().setting(ConfigKeys.databaseURL, to: url).setting(ConfigKeys.batchWait, to: 0.001)
        writer = try PositionWriter(settings: PositionWriter.Settings(config: config(base)),
                                    logger: Logger(label: "test"))
        writer.start()
        try waitUntilAvailable()
    }

    deinit { writer.stop() }

    func waitUntilAvailable() throws {
        let deadline = Date(timeIntervalSinceNow: 10)
        while !writer.isAvailable {
            guard Date() < deadline else { throw ServerError(message: "writer never connected to \(url)") }
            Thread.sleep(forTimeInterval: 0.01)
        }
    }

    /// Submits reports together (one batch when they fit) and returns their outcomes in order.
    func write(_ reports: [DeviceReport], receivedAt: Date = Date()) async -> [WriteOutcome] {
        await withTaskGroup(of: (Int, WriteOutcome).self) { group in
            for (index, report) in reports.enumerated() {
                group.addTask {
                    await withCheckedContinuation { continuation in
                        self.writer.submit(report, receivedAt: receivedAt) { continuation.resume(returning: $0) }
                    }.withIndex(index)
                }
            }
            var outcomes = [WriteOutcome?](repeating: nil, count: reports.count)
            for await (index, outcome) in group { outcomes[index] = outcome }
            return outcomes.map { $0! }
        }
    }

    func write(_ report: DeviceReport) async -> WriteOutcome {
        await write([report])[0]
    }
}

extension WriteOutcome {
    fileprivate func withIndex(_ index: Int) -> (Int, WriteOutcome) { (index, self) }
}

extension WriterHarness: @unchecked Sendable {}

/// A report as the OsmAnd decoder would produce it.
func report(_ uniqueId: String, fix: TimeInterval, latitude: Double = 52.5, longitude: Double = 13.4,
            attributes: Attributes = [:], outdated: Bool = false) -> DeviceReport {
    let time = Date(timeIntervalSince1970: fix)
    return DeviceReport(
        uniqueId: uniqueId,
        position: Position(protocolName: "osmand", deviceTime: time, fixTime: time, valid: !outdated,
                           latitude: outdated ? 0 : latitude, longitude: outdated ? 0 : longitude,
                           altitude: 34.5, speed: 2.5, course: 90, accuracy: 7, attributes: attributes,
                           outdated: outdated),
        unknownDeviceStatus: 400)
}
