import ArgumentParser
import Dispatch
import Foundation
import Logging
import Metrics
import Prometheus
import TrackCore
import TrackNet

/// Runs one analytics worker; start more, on any machines, and Kafka splits the partitions between them.
struct AnalyticsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analytics",
        abstract: "Consume the positions topic and keep stays, trips, daily totals, density and events in PostgreSQL.")

    @OptionGroup var options: ConfigOptions

    func run() throws {
        let config = try options.load()
        try config.bootstrapLogging()
        let logger = Logger(label: "itrack.analytics")
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(CatalogMetricsFactory(registry: registry))
        let settings = try AnalyticsWorker.Settings(config: config)
        try ServeCommand.migrateWhenReachable(url: settings.databaseURL, logger: logger)
        let metricsServer = try MetricsEndpoint(registry: registry, writer: nil, process: ProcessMetrics(version: ITrack.version))
            .server(config: config, logger: logger)
        let worker = AnalyticsWorker(settings: settings, logger: logger)
        worker.start()
        metricsServer?.start()
        let signals = SignalWatcher(queue: .main) { signal in
            logger.info("stopping", metadata: ["signal": "\(signal)"])
            metricsServer?.stopAccepting()
            worker.stop()
            logger.info("stopped")
            Foundation.exit(0)
        }
        withExtendedLifetime(signals) { dispatchMain() }
    }
}
