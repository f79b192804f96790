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
    /// Only when `kafka.brokers` is set.
    private let publisher: PositionPublisher?
    private let osmandServer: HTTPServer
    private let webServer: HTTPServer
    /// Only when `metrics.port` is set: lets operators expose metrics without exposing the API.
    private let metricsServer: HTTPServer?
    private let logger: Logger

    init(config: Config, registry: PrometheusCollectorRegistry, logger: Logger) throws {
        self.logger = logger
        let metrics = IngestMetrics(protocolName: "osmand")
        let publisher = config[ConfigKeys.kafkaBrokers].isEmpty
            ? nil : try PositionPublisher(settings: PositionPublisher.Settings(config: config), logger: logger)
        self.publisher = publisher
        writer = try PositionWriterPool(
            settings: PositionWriter.Settings(config: config), count: config[ConfigKeys.writers], logger: logger
        ) { stats in
            metrics.record(stats)
            if stats.inserted > 0 { publisher?.notifyCommitted() }
        }
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
        let metricsEndpoint = MetricsEndpoint(
            registry: registry, writer: writer, process: ProcessMetrics(version: ITrack.version))
        let routes = WebRoutes(writer: writer, metrics: metricsEndpoint, osmand: osmand,
                               readyMaxWait: config[ConfigKeys.readyMaxWait])
        webServer = try HTTPServer(
            name: "web", address: config[ConfigKeys.webAddress], port: try Self.port(config, ConfigKeys.webPort),
            limits: limits, workerCount: 1, logger: logger, handler: routes.handle)
        metricsServer = config[ConfigKeys.metricsPort] == 0 ? nil : try HTTPServer(
            name: "metrics", address: config[ConfigKeys.metricsAddress],
            port: try Self.port(config, ConfigKeys.metricsPort), limits: limits, workerCount: 1, logger: logger,
            handler: metricsEndpoint.handle)
    }

    func start() {
        writer.start()
        publisher?.start()
        osmandServer.start()
        webServer.start()
        metricsServer?.start()
        var ports: Logger.Metadata = ["osmand": "\(osmandServer.port)", "web": "\(webServer.port)"]
        if let metricsServer { ports["metrics"] = "\(metricsServer.port)" }
        logger.info("listening", metadata: ports)
    }

    /// Stops accepting, commits and answers every queued report, and waits for the answers to leave.
    func stop() {
        osmandServer.stopAccepting()
        webServer.stopAccepting()
        metricsServer?.stopAccepting()
        writer.stop()
        publisher?.stop()
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
