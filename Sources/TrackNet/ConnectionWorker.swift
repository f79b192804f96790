import Dispatch
import Foundation
import Synchronization

/// A serial queue that owns a share of the connections and sweeps their timeouts once a second.
///
/// One timer per queue instead of one per connection keeps thousands of idle connections cheap.
final class ConnectionWorker: @unchecked Sendable {
    let queue: DispatchQueue
    /// Scratch space for socket reads, shared by this queue's connections: they run one at a time.
    var readBuffer = [UInt8](repeating: 0, count: 16384)
    /// Touched only on `queue`.
    private var connections: [ObjectIdentifier: HTTPConnection] = [:]
    private var timer: DispatchSourceTimer?
    /// Answers handed over from other threads, run on `queue` in one pass.
    private let deliveries = Mutex<(pending: [@Sendable () -> Void], scheduled: Bool)>(([], false))

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

    /// Runs `work` on the queue. A writer answers a whole batch at once; coalescing those answers into
    /// one queue hop instead of one per request saves a thread wake-up per request.
    func deliver(_ work: @escaping @Sendable () -> Void) {
        let mustSchedule = deliveries.withLock { state in
            state.pending.append(work)
            defer { state.scheduled = true }
            return !state.scheduled
        }
        if mustSchedule { queue.async { [self] in drainDeliveries() } }
    }

    private func drainDeliveries() {
        let work = deliveries.withLock { state in
            defer { state = ([], false) }
            return state.pending
        }
        for item in work { item() }
    }

    func register(_ connection: HTTPConnection) {
        connections[ObjectIdentifier(connection)] = connection
    }

    func unregister(_ connection: HTTPConnection) {
        connections[ObjectIdentifier(connection)] = nil
    }
}
