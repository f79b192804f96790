import Dispatch
import Foundation
import Logging
import Prometheus
import TrackCore
import TrackNet
import TrackPostgres
import TrackProtocols

/// Wires the writer, the OsmAnd port and the web port together, and stops them in the safe order.
final class IngestServer: Sendable {
    private let writer: PositionWriterPool
    private let osmandServer: HTTPServer
    private let webServer: HTTPServer
    private let logger: Logger

    init(config: Config, registry: PrometheusCollectorRegistry, logger: Logger) throws {
        self.logger = logger
        let metrics = IngestMetrics(protocolName: "osmand")
        writer = try PositionWriterPool(
            settings: PositionWriter.Settings(config: config), count: config[ConfigKeys.writers], logger: logger
        ) { metrics.record($0) }
        guard let speedUnit = SpeedUnit(rawValue: config[ConfigKeys.osmandSpeed]) else {
            throw ConfigError(key: ConfigKeys.osmandSpeed.name, message: "expected knots, kmh, mps or mph")
        }
        let osmand = OsmAndIngestHandler(
            decoder: OsmAndDecoder(speedUnit: speedUnit, minAccuracy: config[ConfigKeys.osmandMinAccuracy]),
            writer: writer, metrics: metrics, logger: logger)
        var limits = HTTPServer.Limits()
        limits.headerTimeout = config[ConfigKeys.headerTimeout]
        limits.idleTimeout = config[ConfigKeys.serverTimeout]
        limits.maxConnections = config[ConfigKeys.maxConnections]
        osmandServer = try HTTPServer(
            name: "osmand", address: config[ConfigKeys.osmandAddress], port: try Self.port(config, ConfigKeys.osmandPort),
            limits: limits, logger: logger, handler: osmand.handle)
        let routes = WebRoutes(writer: writer, registry: registry, osmand: osmand)
        webServer = try HTTPServer(
            name: "web", address: config[ConfigKeys.webAddress], port: try Self.port(config, ConfigKeys.webPort),
            limits: limits, workerCount: 1, logger: logger, handler: routes.handle)
    }

    func start() {
        writer.start()
        osmandServer.start()
        webServer.start()
        logger.info("listening", metadata: ["osmand": "\(osmandServer.port)", "web": "\(webServer.port)"])
    }

    /// Stops accepting, commits and answers every queued report, and waits for the answers to leave.
    func stop() {
        osmandServer.stopAccepting()
        webServer.stopAccepting()
        writer.stop()
        let deadline = Date(timeIntervalSinceNow: 5)
        while osmandServer.pendingRequests + webServer.pendingRequests > 0 && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.01)
        }
    }

    private static func port(_ config: Config, _ key: ConfigKey<Int>) throws -> UInt16 {
        guard let port = UInt16(exactly: config[key]) else {
            throw ConfigError(key: key.name, message: "\(config[key]) is not a TCP port")
        }
        return port
    }
}
