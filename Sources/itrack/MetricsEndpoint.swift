import Foundation
import Logging
import Metrics
import Prometheus
import TrackCore
import TrackNet
import TrackPostgres
import TrackWire

/// `/metrics`: refreshes the values that are read rather than counted, then writes the registry out.
struct MetricsEndpoint: Sendable {
    let registry: PrometheusCollectorRegistry
    /// Nil in the analytics worker, which has no writer.
    let writer: PositionWriterPool?
    let process: ProcessMetrics
    private let queueDepth = Metrics.Gauge(label: "itrack_writer_queue_depth")
    private let oldestWait = Metrics.Gauge(label: "itrack_writer_oldest_wait_seconds")
    private let databaseUp = Metrics.Gauge(label: "itrack_database_up")

    init(registry: PrometheusCollectorRegistry, writer: PositionWriterPool?, process: ProcessMetrics) {
        self.registry = registry
        self.writer = writer
        self.process = process
    }

    func response() -> HTTPResponse {
        let now = Date()
        if let writer {
            queueDepth.record(writer.queueDepth)
            oldestWait.record(writer.oldestWait(now: now))
            databaseUp.record(writer.isAvailable ? 1 : 0)
        }
        process.update(now: now)
        var response = HTTPResponse(status: 200, body: registry.emitToBuffer())
        response.headers.add("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
        return response
    }

    /// The optional `metrics.port`'s server; nil when the port is 0.
    func server(config: Config, limits: HTTPServer.Limits = HTTPServer.Limits(), logger: Logger) throws -> HTTPServer? {
        config[ConfigKeys.metricsPort] == 0 ? nil : try HTTPServer(
            name: "metrics", address: config[ConfigKeys.metricsAddress], port: try config.port(ConfigKeys.metricsPort),
            limits: limits, workerCount: 1, logger: logger, handler: handle)
    }

    /// The whole of the optional `metrics.port`.
    func handle(_ request: HTTPRequest, context: HTTPRequestContext,
                respond: @escaping @Sendable (HTTPResponse) -> Void) {
        switch (request.method, request.path) {
        case ("GET", "/metrics"), ("HEAD", "/metrics"): respond(response())
        case (_, "/metrics"): respond(.text(405, "method \(request.method) not allowed here"))
        default: respond(.text(404, "no such resource: \(request.path); this port serves /metrics"))
        }
    }
}
