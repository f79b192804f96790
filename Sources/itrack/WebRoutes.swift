import Foundation
import Prometheus
import TrackNet
import TrackPostgres
import TrackWire

/// The web port's routes for this stage: health, readiness, metrics, and Traccar's phone proxy
/// (a POST to exactly `/` on the web port is a phone report, as in Traccar).
struct WebRoutes: Sendable {
    let writer: PositionWriterPool
    let registry: PrometheusCollectorRegistry
    let osmand: OsmAndIngestHandler

    func handle(_ request: HTTPRequest, context: HTTPRequestContext,
                respond: @escaping @Sendable (HTTPResponse) -> Void) {
        switch (request.method, request.path) {
        case ("POST", "/"):
            osmand.handle(request, context: context, respond: respond)
        case ("GET", "/health"), ("HEAD", "/health"):
            respond(json(200, #"{"status":"ok"}"#))
        case ("GET", "/ready"), ("HEAD", "/ready"):
            let up = writer.isAvailable
            let body = #"{"status":"\#(up ? "ready" : "not ready")","database":"\#(up ? "up" : "down")","#
                + #""queueDepth":\#(writer.queueDepth)}"#
            respond(json(up ? 200 : 503, body))
        case ("GET", "/metrics"), ("HEAD", "/metrics"):
            var metrics = HTTPResponse(status: 200, body: registry.emitToBuffer())
            metrics.headers.add("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
            respond(metrics)
        case (_, "/health"), (_, "/ready"), (_, "/metrics"):
            respond(.text(405, "method \(request.method) not allowed here"))
        default:
            respond(.text(404, "no such resource: \(request.path)"))
        }
    }

    private func json(_ status: Int, _ body: String) -> HTTPResponse {
        HTTPResponse(status: status, headers: HTTPHeaders([("Content-Type", "application/json")]), body: Array(body.utf8))
    }
}
