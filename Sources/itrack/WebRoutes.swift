import Foundation
import TrackNet
import TrackPostgres
import TrackWire

/// The web port's routes: Traccar's API under `/api/`, health, readiness, metrics, the live map (`GET /` and
/// `/leaflet/`), and Traccar's phone proxy (a POST to exactly `/` on the web port is a phone report, as in Traccar).
struct WebRoutes: Sendable {
    let writer: PositionWriterPool
    let metrics: MetricsEndpoint
    let osmand: OsmAndIngestHandler
    let api: APIRoutes
    let map: MapPage
    /// Seconds a queued report may wait before the writer counts as stalled.
    let readyMaxWait: Double

    func handle(_ request: HTTPRequest, context: HTTPRequestContext,
                respond: @escaping @Sendable (HTTPResponse) -> Void) {
        switch (request.method, request.path) {
        case ("POST", "/"):
            osmand.handle(request, context: context, respond: respond)
        case ("GET", "/"), ("HEAD", "/"):
            respond(map.page())
        case (let method, let path) where path.hasPrefix("/leaflet/") && (method == "GET" || method == "HEAD"):
            respond(map.leafletFile(path.dropFirst("/leaflet/".count)))
        case ("GET", "/health"), ("HEAD", "/health"):
            respond(json(200, #"{"status":"ok"}"#))
        case ("GET", "/ready"), ("HEAD", "/ready"):
            respond(readiness())
        case ("GET", "/metrics"), ("HEAD", "/metrics"):
            respond(metrics.response())
        case (_, let path) where path.hasPrefix("/api/"):
            api.handle(request, context: context, respond: respond)
        case (_, "/health"), (_, "/ready"), (_, "/metrics"):
            respond(.text(405, "method \(request.method) not allowed here"))
        default:
            respond(.text(404, "no such resource: \(request.path)"))
        }
    }

    /// Ready means a phone's report would be committed now: the database answers and the writer keeps up.
    private func readiness() -> HTTPResponse {
        let up = writer.isAvailable
        let oldestWait = writer.oldestWait(now: Date())
        let stalled = oldestWait > readyMaxWait
        let ready = up && !stalled
        let body = #"{"status":"\#(ready ? "ready" : "not ready")","database":"\#(up ? "up" : "down")","#
            + #""writer":"\#(stalled ? "stalled" : "ok")","queueDepth":\#(writer.queueDepth),"#
            + #""oldestWaitSeconds":\#((oldestWait * 1000).rounded() / 1000)}"#
        return json(ready ? 200 : 503, body)
    }

    private func json(_ status: Int, _ body: String) -> HTTPResponse {
        HTTPResponse(status: status, headers: HTTPHeaders([("Content-Type", "application/json")]), body: Array(body.utf8))
    }
}
