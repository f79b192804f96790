import Foundation
import Prometheus
import TrackNet
import TrackPostgres
import TrackWire

/// `/metrics`: refreshes the values that are read rather than counted, then writes the registry out.
struct MetricsEndpoint: Sendable {
    let registry: PrometheusCollectorRegistry
    let writer: PositionWriterPool
    let process: ProcessMetrics
    private let queueDepth: Gauge
    private let oldestWait: Gauge
    private let databaseUp: Gauge

    init(registry: PrometheusCollectorRegistry, writer: PositionWriterPool, process: ProcessMetrics) {
        self.registry = registry
        self.writer = writer
        self.process = process
        func gauge(_ name: String) -> Gauge {
            registry.makeGauge(descriptor: MetricNameDescriptor(
                metricName: name, unitName: "", helpText: MetricCatalog.entry(name)?.help ?? ""))
        }
        queueDepth = gauge("itrack_writer_queue_depth")
        oldestWait = gauge("itrack_writer_oldest_wait_seconds")
        databaseUp = gauge("itrack_database_up")
    }

    func response() -> HTTPResponse {
        let now = Date()
        queueDepth.set(to: Double(writer.queueDepth))
        oldestWait.set(to: writer.oldestWait(now: now))
        databaseUp.set(to: writer.isAvailable ? 1 : 0)
        process.update(now: now)
        var response = HTTPResponse(status: 200, body: registry.emitToBuffer())
        response.headers.add("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
        return response
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
