import Dispatch
import Synchronization
import TrackWire

/// The back-pressure between a streamed body's producer, on its own thread, and its connection's queue: the bytes
/// the producer has written that the socket has not taken yet, kept under `limit`.
///
/// The producer `reserve`s before each send and waits while `limit` or more are unsent; the connection reports what
/// arrived in its output and what the output still holds, and wakes the producer once that is down to half the
/// limit (so it wakes once per few chunks, not once per write). `close` wakes it for good.
final class StreamFlow: Sendable {
    private struct State {
        /// Handed to the connection's queue, not yet in its output.
        var inTransit = 0
        /// In the connection's output, not yet written to the socket.
        var unsent = 0
        var closed = false
        var waiting = false
    }

    let limit: Int
    private let state = Mutex(State())
    private let wakeUp = DispatchSemaphore(value: 0)

    init(limit: Int) {
        self.limit = limit
    }

    /// Producer side: waits until less than `limit` is unsent, then counts `count` more bytes as on their way.
    func reserve(_ count: Int) throws(HTTPClientGone) {
        while true {
            let admitted: Bool? = state.withLock { state in
                if state.closed { return nil }
                if state.inTransit + state.unsent < limit {
                    state.inTransit += count
                    return true
                }
                state.waiting = true
                return false
            }
            guard let admitted else { throw HTTPClientGone() }
            if admitted { return }
            // Each signal answers exactly one `waiting = true`, so the semaphore never holds a stale wake-up.
            wakeUp.wait()
        }
    }

    /// Connection side: `count` reserved bytes have reached the output.
    func arrived(_ count: Int) {
        state.withLock { $0.inTransit -= count }
    }

    /// Connection side: the output holds `count` unsent bytes now.
    func unsent(_ count: Int) {
        let wake = state.withLock { state in
            state.unsent = count
            guard state.waiting, state.inTransit + state.unsent <= limit / 2 else { return false }
            state.waiting = false
            return true
        }
        if wake { wakeUp.signal() }
    }

    /// The connection closed: the producer's next `reserve` throws, a waiting one at once.
    func close() {
        let wake = state.withLock { state in
            state.closed = true
            defer { state.waiting = false }
            return state.waiting
        }
        if wake { wakeUp.signal() }
    }
}
