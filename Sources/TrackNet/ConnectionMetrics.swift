import Metrics

/// Connection-level metrics of one server, created once so the hot path only increments.
struct ConnectionMetrics: Sendable {
    let opened: Counter
    let refused: Counter
    let open: Meter
    let bytesIn: Counter
    let bytesOut: Counter
    let requests: Counter
    private let protocolName: String

    init(protocolName: String) {
        self.protocolName = protocolName
        let dimensions = [("protocol", protocolName)]
        opened = Counter(label: "itrack_connections_opened_total", dimensions: dimensions)
        refused = Counter(label: "itrack_connections_refused_total", dimensions: dimensions)
        open = Meter(label: "itrack_connections_open", dimensions: dimensions)
        bytesIn = Counter(label: "itrack_received_bytes_total", dimensions: dimensions)
        bytesOut = Counter(label: "itrack_sent_bytes_total", dimensions: dimensions)
        requests = Counter(label: "itrack_http_requests_total", dimensions: dimensions)
    }

    /// Counts a request that ended without reaching the handler (bad syntax, too large, too slow).
    func countProtocolError(status: Int) {
        Counter(label: "itrack_http_errors_total",
                dimensions: [("protocol", protocolName), ("status", String(status))]).increment()
    }
}
