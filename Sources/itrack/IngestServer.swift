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
    /// Only without `kafka.brokers` (workers then run the analytics) and with `analytics.enable`.
    private let analytics: InProcessAnalytics?
    private let live: LiveFeed
    /// Only with `archive.s3.bucket` and `archive.enable`.
    private let archive: ArchiveScheduler?
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
        let analytics = publisher == nil && config[ConfigKeys.analyticsEnable]
            ? try InProcessAnalytics(config: config, logger: logger) : nil
        self.analytics = analytics
        let live = LiveFeed(databaseURL: try config.requireDatabaseURL(), logger: logger)
        self.live = live
        archive = try config[ConfigKeys.archiveEnable]
            ? ArchiveService.Settings(config: config, environment: ProcessInfo.processInfo.environment).map {
                try ArchiveScheduler(service: ArchiveService(settings: $0, logger: logger, terminal: false),
                                     config: config, logger: logger)
            } : nil
        writer = try PositionWriterPool(
            settings: PositionWriter.Settings(config: config), count: config[ConfigKeys.writers], logger: logger
        ) { stats in
            metrics.record(stats)
            if stats.inserted > 0 {
                publisher?.notifyCommitted()
                analytics?.notifyCommitted()
                live.notifyCommitted()
            }
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
            name: "osmand", address: config[ConfigKeys.osmandAddress], port: try config.port(ConfigKeys.osmandPort),
            limits: limits, logger: logger, handler: osmand.handle)
        let metricsEndpoint = MetricsEndpoint(
            registry: registry, writer: writer, process: ProcessMetrics(version: ITrack.version))
        let api = APIRoutes(database: APIDatabase(url: try config.requireDatabaseURL()), live: live, logger: logger,
                            devicesChanged: { [writer] in writer.forgetDevices() })
        let routes = WebRoutes(writer: writer, metrics: metricsEndpoint, osmand: osmand, api: api,
                               map: MapPage(tileURL: config[ConfigKeys.webTileURL]),
                               readyMaxWait: config[ConfigKeys.readyMaxWait])
        webServer = try HTTPServer(
            name: "web", address: config[ConfigKeys.webAddress], port: try config.port(ConfigKeys.webPort),
            limits: limits, workerCount: 1, logger: logger, handler: routes.handle)
        metricsServer = try metricsEndpoint.server(config: config, limits: limits, logger: logger)
    }

    func start() {
        writer.start()
        publisher?.start()
        analytics?.start()
        live.start()
        archive?.start()
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
        analytics?.stop()
        live.stop()
        archive?.stop()
        let deadline = Date(timeIntervalSinceNow: 5)
        while osmandServer.pendingRequests + webServer.pendingRequests > 0 && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.01)
        }
    }
}
