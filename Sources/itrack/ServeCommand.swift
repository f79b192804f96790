import ArgumentParser
import Dispatch
import Foundation
import Logging
import Metrics
import Prometheus
import TrackCore
import TrackNet
import TrackPostgres
import TrackProtocols

/// Runs the server: migrates, then takes phone reports on the OsmAnd port and serves the web port.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Migrate the schema, then accept positions and serve the API.")

    @OptionGroup var options: ConfigOptions

    func run() throws {
        let config = try options.load()
        try config.bootstrapLogging()
        let logger = Logger(label: "itrack")
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(CatalogMetricsFactory(registry: registry))
        try Self.migrateWhenReachable(url: try config.requireDatabaseURL(), logger: logger)
        try AdminBootstrap.run(url: try config.requireDatabaseURL(), environment: ProcessInfo.processInfo.environment,
                               logger: logger)
        let server = try IngestServer(config: config, registry: registry, logger: logger)
        server.start()
        let signals = SignalWatcher(queue: .main) { signal in
            logger.info("stopping", metadata: ["signal": "\(signal)"])
            server.stop()
            logger.info("stopped")
            Foundation.exit(0)
        }
        withExtendedLifetime(signals) { dispatchMain() }
    }

    /// Waits up to a minute for the database at start, so `serve` can be launched alongside it.
    static func migrateWhenReachable(url: String, logger: Logger) throws {
        for attempt in 0... {
            do {
                let applied = try Migrator(connection: PostgresConnection(url: url, applicationName: "itrack-migrate"))
                    .migrate()
                logger.info("schema ready", metadata: ["version": "\(Migrator.latestVersion)", "applied": "\(applied)"])
                return
            } catch {
                guard error.code == .connection, attempt < 60 else { throw error }
                if attempt == 0 { logger.warning("waiting for the database", metadata: ["error": "\(error)"]) }
                Thread.sleep(forTimeInterval: 1)
            }
        }
    }
}
