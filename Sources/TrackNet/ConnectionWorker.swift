import Dispatch
import Foundation

/// A serial queue that owns a share of the connections and sweeps their timeouts once a second.
///
/// One timer per queue instead of one per connection keeps thousands of idle connections cheap.
final class ConnectionWorker: @unchecked Sendable {
    let queue: DispatchQueue
    /// Touched only on `queue`.
    private var connections: [ObjectIdentifier: HTTPConnection] = [:]
    private var timer: DispatchSourceTimer?

    init(label: String) {
        queue = DispatchQueue(label: label)
    }

    func startSweeping(limits: HTTPServer.Limits) {
        let timer = DispatchSource.makeTimerSource(queue: queue)
        timer.schedule(deadline: .now() + 1, repeating: 1)
        timer.setEventHandler { [self] in
            let now = Date()
            for connection in Array(connections.values) { connection.checkTimeouts(now: now, limits: limits) }
        }
        timer.resume()
        self.timer = timer
    }

    func register(_ connection: HTTPConnection) {
        connections[ObjectIdentifier(connection)] = connection
    }

    func unregister(_ connection: HTTPConnection) {
        connections[ObjectIdentifier(connection)] = nil
    }
}
