import Foundation
import Logging
import TrackCore
import TrackNet
import TrackPostgres
import TrackProtocols
import TrackWire

/// Turns OsmAnd requests into committed positions, and answers each only after its commit.
///
/// A class, so the answer closure each request leaves with the writer captures one reference, not a copy of
/// every field.
final class OsmAndIngestHandler: Sendable {
    let decoder: OsmAndDecoder
    let writer: PositionWriterPool
    let metrics: IngestMetrics
    let logger: Logger
    let logLimiter = LogLimiter()

    init(decoder: OsmAndDecoder, writer: PositionWriterPool, metrics: IngestMetrics, logger: Logger) {
        self.decoder = decoder
        self.writer = writer
        self.metrics = metrics
        self.logger = logger
    }

    func handle(_ request: HTTPRequest, context: HTTPRequestContext,
                respond: @escaping @Sendable (HTTPResponse) -> Void) {
        let report: DeviceReport
        do {
            report = try decoder.decode(request, receivedAt: context.receivedAt)
        } catch {
            metrics.count(outcome: "invalid")
            if logLimiter.allow("decode \(error.reason.prefix(24))") {
                logger.notice("request refused", metadata: [
                    "protocol": "osmand", "remote": "\(context.remoteAddress)", "reason": "\(error.reason)",
                    "raw": "\(error.raw.prefix(512))",
                ])
            }
            respond(.text(400, error.reason))
            return
        }
        writer.submit(report, receivedAt: context.receivedAt) { [self] outcome in
            metrics.ackLatency.recordSeconds(Date().timeIntervalSince(context.receivedAt))
            respond(response(for: outcome, report: report))
            if case .unknownDevice = outcome, logLimiter.allow("unknown \(report.uniqueId)") {
                logger.notice("unknown device", metadata: ["uniqueId": "\(report.uniqueId)",
                                                           "remote": "\(context.remoteAddress)"])
            }
        }
    }

    private func response(for outcome: WriteOutcome, report: DeviceReport) -> HTTPResponse {
        switch outcome {
        case .stored:
            metrics.stored.increment()
            return .ok
        case .filtered(let reason):
            metrics.count(outcome: "filtered", reason: reason.rawValue)
            return .ok
        case .unknownDevice:
            metrics.count(outcome: "rejected", reason: "unknown_device")
            return .text(report.unknownDeviceStatus, "unknown device \(report.uniqueId)")
        case .deviceDisabled:
            metrics.count(outcome: "rejected", reason: "disabled")
            return .text(403, "device \(report.uniqueId) is disabled")
        case .rejected(let message):
            metrics.count(outcome: "rejected", reason: "database")
            return .text(400, "refused by the database: \(message)")
        case .unavailable(let message):
            metrics.count(outcome: "unavailable", reason: "database")
            return Self.retryLater("position not stored, retry later: \(message)")
        case .overloaded:
            metrics.count(outcome: "unavailable", reason: "queue_full")
            return Self.retryLater("server busy, retry later")
        }
    }

    private static func retryLater(_ line: String) -> HTTPResponse {
        var response = HTTPResponse.text(503, line)
        response.headers.add("Retry-After", "5")
        return response
    }
}
